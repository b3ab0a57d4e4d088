using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

public static partial class EventMoves
{
    /// <summary>
    /// Cancels the event: every confirmed claim is released, the waiting lists are cleared, and
    /// the shifts stay as they were (so the plan can still be read) but can no longer be claimed.
    /// With <c>following: true</c> on an occurrence of a series, every later occurrence that is not
    /// cancelled yet goes the same way (one EventCancelled each); on an event without a series it
    /// is ignored. Cancelling twice changes nothing the second time. The answer is the given event.
    /// </summary>
    public static async Task<EventAnswer> Cancel(
        Guid eventId, EventCancel? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (ReasonProblem(request?.Reason) is { } invalid)
        {
            return invalid;
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (EventRules.Deny(row, caller, "cancel") is { } denied)
            {
                return denied;
            }

            var reason = EventRules.Blank(request?.Reason);
            foreach (var target in await CancelTargetsAsync(tx, row!, request?.Following == true, lockRows: true, ct))
            {
                var occurrence = target == row!.Id ? row : (await EventRows.FindAsync(tx.Connection!, target, ct, tx))!;
                await CancelOneAsync(tx, occurrence, reason, ct);
            }

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row!.Id, ct));
        }, cancellationToken);
    }

    /// <summary>
    /// The events a cancellation touches, in time order, locked: the given one unless it is
    /// cancelled already, and with <paramref name="following"/> every later occurrence of its
    /// series that is not. The given event's row is locked by the caller first (as every move
    /// does); the later ones follow in time order, so two of these never wait for each other in a circle.
    /// The preview asks without <paramref name="lockRows"/>.
    /// </summary>
    internal static async Task<List<Guid>> CancelTargetsAsync(NpgsqlTransaction tx, EventRow row, bool following, bool lockRows, CancellationToken ct)
    {
        if (!following || row.SeriesId is not { } seriesId)
        {
            return row.Status == EventStatus.Cancelled ? [] : [row.Id];
        }

        var sql = $"""
            SELECT id FROM events
            WHERE series_id = @series AND status <> '{EventStatus.Cancelled}' AND (starts_at, id) >= (@startsAt, @id)
            ORDER BY starts_at, id
            {(lockRows ? "FOR UPDATE" : "")}
            """;
        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(sql, new { series = seriesId, startsAt = row.StartsAt, id = row.Id }, tx, cancellationToken: ct))).ToList();
    }

    private static async Task CancelOneAsync(NpgsqlTransaction tx, EventRow row, string? reason, CancellationToken ct)
    {
        // The event's status and its shifts' change first: that locks the shifts, so a claim
        // in flight on one of them has committed (and is released below) or waits and then
        // finds the event cancelled.
        await SetStatusAsync(tx, row.Id, EventStatus.Cancelled, reason, ct);

        const string releaseAll = $"""
            WITH released AS (
                UPDATE claims SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = 'event-cancelled'
                WHERE status = '{ClaimStatus.Confirmed}' AND shift_id IN (SELECT id FROM shifts WHERE event_id = @id)
                RETURNING id, volunteer_id, shift_id
            ), cleared AS (
                DELETE FROM waitlist_entries WHERE shift_id IN (SELECT id FROM shifts WHERE event_id = @id)
            ), emptied AS (
                UPDATE shifts SET confirmed = 0, waitlisted = 0, updated_at = now() WHERE event_id = @id
            )
            SELECT id, volunteer_id, shift_id FROM released ORDER BY shift_id, volunteer_id
            """;
        var released = await ReleasedClaims.ReleaseAsync(tx, releaseAll, row.Id, ct);
        await ReleasedClaims.AnnounceAsync(tx, released, "event-cancelled", ct);

        var affected = released.Select(r => r.VolunteerId).Distinct().Order().ToList();
        await Outbox.EnqueueAsync(tx, new EventCancelled(row.Id, row.Org, row.Title, row.StartsAt, reason, affected,
            await ShiftDetailsReader.ReadOfEventAsync(tx, row.Id, ct)), ct);
    }
}
