using Dapper;
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
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, new
        {
            id,
            eventId = @event.EventId,
            org = @event.Org,
            kind = @event.Kind,
            status = @event.Status,
            title = spec.Title!.Trim(),
            startsAt = spec.StartsAt!.Value,
            endsAt = spec.EndsAt!.Value,
            capacity = spec.Capacity!.Value,
            minimum = spec.Minimum ?? 0,
            qualification = NullIfBlank(spec.RequiredQualification),
            newcomerFriendly = spec.NewcomerFriendly ?? false,
        }, transaction, cancellationToken: cancellationToken));

        var details = new ShiftDetails(id, @event.EventId, @event.Org, @event.Title, spec.Title!.Trim(),
            spec.StartsAt!.Value.ToUniversalTime(), spec.EndsAt!.Value.ToUniversalTime(), @event.LocationName, @event.LocationAddress,
            Revision: 0); // a new row's calendar_sequence
        await Outbox.EnqueueAsync(transaction, new ShiftCreated(details, spec.Capacity!.Value, spec.Minimum ?? 0,
            NullIfBlank(spec.RequiredQualification), spec.NewcomerFriendly ?? false), cancellationToken);
        return id;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
