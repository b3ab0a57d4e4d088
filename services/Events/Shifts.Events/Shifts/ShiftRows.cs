using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;

namespace Shifts.Events.Shifts;

/// <summary>The facts of an event that its shifts copy (so the open-shift list needs no join to filter).</summary>
public sealed record EventFacts(Guid EventId, string Org, string Title, string Kind, string Status, string LocationName, string? LocationAddress);

/// <summary>Writes a shift row: the one insert that creating an event and adding a shift share.</summary>
public static class ShiftRows
{
    /// <summary>Inserts a validated shift and queues ShiftCreated in the same transaction; returns its id.</summary>
    public static async Task<Guid> InsertAsync(NpgsqlTransaction transaction, EventFacts @event, ShiftSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(spec);
        var id = Guid.CreateVersion7();
        const string sql = """
            INSERT INTO shifts (id, event_id, org, kind, event_status, title, starts_at, ends_at, capacity, minimum, required_qualification, newcomer_friendly)
            VALUES (@id, @eventId, @org, @kind, @status, @title, @startsAt, @endsAt, @capacity, @minimum, @qualification, @newcomerFriendly)
            """;
        await using (var command = new NpgsqlCommand(sql, transaction.Connection, transaction))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("eventId", @event.EventId);
            command.Parameters.AddWithValue("org", @event.Org);
            command.Parameters.AddWithValue("kind", @event.Kind);
            command.Parameters.AddWithValue("status", @event.Status);
            command.Parameters.AddWithValue("title", spec.Title!.Trim());
            command.Parameters.AddWithValue("startsAt", spec.StartsAt!.Value.ToUniversalTime());
            command.Parameters.AddWithValue("endsAt", spec.EndsAt!.Value.ToUniversalTime());
            command.Parameters.AddWithValue("capacity", spec.Capacity!.Value);
            command.Parameters.AddWithValue("minimum", spec.Minimum ?? 0);
            command.Parameters.AddWithValue("qualification", (object?)NullIfBlank(spec.RequiredQualification) ?? DBNull.Value);
            command.Parameters.AddWithValue("newcomerFriendly", spec.NewcomerFriendly ?? false);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var details = new ShiftDetails(id, @event.EventId, @event.Org, @event.Title, spec.Title!.Trim(),
            spec.StartsAt!.Value.ToUniversalTime(), spec.EndsAt!.Value.ToUniversalTime(), @event.LocationName, @event.LocationAddress);
        await Outbox.EnqueueAsync(transaction, new ShiftCreated(details, spec.Capacity!.Value, spec.Minimum ?? 0,
            NullIfBlank(spec.RequiredQualification), spec.NewcomerFriendly ?? false), cancellationToken);
        return id;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
