using Shifts.Events.Statuses;
using Shifts.Events.Staffing;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Claims;
using Shifts.Events.Shifts;
using Shifts.Messaging.Inbox;
using Shifts.Messaging.Outbox;

namespace Shifts.Events.Privacy;

/// <summary>
/// Erasure (GDPR art. 17) in the events service: the person's confirmed claims are released (each
/// announced as ClaimCancelled with reason "erased", so coordinators can be told and the waitlist
/// moves up), their waitlist places dropped, and their name, memberships, qualifications and
/// calendar feed deleted (its URL answers 404 from then on).
/// What remains are claim rows keyed by an id that no longer names anyone anywhere, and the id in
/// erased_volunteers: it refuses every token the person still holds (401) and keeps late messages
/// about them from re-creating anything.
/// Serves VolunteerErased from the volunteers service, on the queue events-erasure (the table in EventsMessaging).
/// </summary>
public sealed class ErasureConsumer(NpgsqlDataSource db, TimeProvider time, ILogger<ErasureConsumer> logger) : IConsumer<VolunteerErased>
{
    public Task Consume(ConsumeContext<VolunteerErased> context) =>
        db.ConsumeOnceAsync(context, nameof(ErasureConsumer), tx => EraseAsync(tx, context.Message.VolunteerId, context.CancellationToken), logger);

    private async Task EraseAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken ct)
    {
        // First the tombstone and the memberships: deleting them waits for any claim in flight
        // (each holds its membership row until commit), so the claims read next include it, and
        // no claim can start after this commits.
        var connection = tx.Connection!;
        const string first = """
            INSERT INTO erased_volunteers (id) VALUES (@id) ON CONFLICT DO NOTHING;
            DELETE FROM memberships WHERE volunteer_id = @id;
            DELETE FROM membership_versions WHERE volunteer_id = @id;
            DELETE FROM shift_invitations WHERE volunteer_id = @id;
            """;
        await connection.ExecuteAsync(new CommandDefinition(first, new { id = volunteerId }, tx, cancellationToken: ct));

        var held = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT shift_id FROM claims WHERE volunteer_id = @id AND status = '{ClaimStatus.Confirmed}' ORDER BY shift_id",
            new { id = volunteerId }, tx, cancellationToken: ct));

        foreach (var shiftId in held)
        {
            var claimId = await Places.ReleaseAsync(tx, shiftId, volunteerId, "erased", ct);
            if (claimId is not null)
            {
                var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
                await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId.Value, volunteerId, "erased", details!), ct);
                await Waitlist.PromoteAsync(tx, shiftId, time.GetUtcNow(), ct);
            }
        }

        const string forget = """
            UPDATE shifts s SET waitlisted = waitlisted - 1 FROM waitlist_entries w WHERE w.shift_id = s.id AND w.volunteer_id = @id;
            DELETE FROM waitlist_entries WHERE volunteer_id = @id;
            DELETE FROM idempotency_keys WHERE volunteer_id = @id;
            DELETE FROM calendar_feeds WHERE volunteer_id = @id;
            UPDATE claims SET checked_in_by = NULL WHERE checked_in_by = @id;
            DELETE FROM shift_leads WHERE volunteer_id = @id;
            UPDATE shift_leads SET named_by = NULL WHERE named_by = @id;
            DELETE FROM volunteers WHERE id = @id;
            """;
        await connection.ExecuteAsync(new CommandDefinition(forget, new { id = volunteerId }, tx, cancellationToken: ct));
    }
}
