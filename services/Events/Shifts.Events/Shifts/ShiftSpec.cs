using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>A shift as a coordinator describes it (POST /api/events/{id}/shifts, or a series' pattern).</summary>
public sealed record ShiftSpec(
    string? Title,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? Capacity,
    int? Minimum,
    string? RequiredQualification,
    bool? NewcomerFriendly)
{
    public const int MaxCapacity = 10_000;

    /// <summary>Field errors, named with <paramref name="prefix"/> (e.g. "shifts[2].").</summary>
    public void Validate(ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text(prefix + "title", Title, 200);
        errors.Required(prefix + "startsAt", StartsAt);
        errors.Required(prefix + "endsAt", EndsAt);
        if (StartsAt is { } start && EndsAt is { } end)
        {
            if (end <= start)
            {
                errors.Add(prefix + "endsAt", "'endsAt' must be after 'startsAt'.");
            }
            else if (end - start > TimeSpan.FromHours(48))
            {
                errors.Add(prefix + "endsAt", "A shift may last at most 48 hours.");
            }
        }

        errors.Range(prefix + "capacity", Capacity, 1, MaxCapacity);
        errors.Range(prefix + "minimum", Minimum, 0, MaxCapacity, required: false);
        if (Minimum is { } minimum && Capacity is { } capacity && minimum > capacity)
        {
            errors.Add(prefix + "minimum", "'minimum' cannot exceed 'capacity'.");
        }

        errors.Text(prefix + "requiredQualification", RequiredQualification, 50, required: false);
    }

    /// <summary>The same shift moved by <paramref name="offset"/> (a series occurrence, a rescheduled event).</summary>
    public ShiftSpec MovedBy(TimeSpan offset) => this with { StartsAt = StartsAt + offset, EndsAt = EndsAt + offset };
}

/// <summary>The facts of an event that its shifts copy (so the open-shift list needs no join to filter).</summary>
public sealed record EventFacts(Guid EventId, string Org, string Title, string Kind, string Status, string LocationName, string? LocationAddress);

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

    /// <summary>
    /// What a message about this shift must say: event, shift, place, time. Read inside the caller's
    /// transaction so it matches the change being published.
    /// </summary>
    public static async Task<ShiftDetails?> DetailsAsync(NpgsqlTransaction transaction, Guid shiftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = """
            SELECT s.id, s.event_id, s.org, e.title, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.id = @id
            """;
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", shiftId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ShiftDetails(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8))
            : null;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
