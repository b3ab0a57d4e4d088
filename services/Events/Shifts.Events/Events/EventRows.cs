using Dapper;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.Events.Shifts;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Events;

/// <summary>An event as stored, with its organisation's time zone (for answering in local time).</summary>
public sealed record EventRow(
    Guid Id,
    string Org,
    Guid? SeriesId,
    string Title,
    string Kind,
    string? Description,
    string LocationName,
    string? LocationAddress,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Status,
    string? StatusReason,
    TimeZoneInfo TimeZone)
{
    /// <summary>Drafts are the coordinators' work in progress; everything else can be looked at by anyone.</summary>
    public bool IsVisibleTo(Caller caller) => Status != EventStatus.Draft || caller.IsCoordinatorOf(Org);

    public EventFacts Facts => new(Id, Org, Title, Kind, Status, LocationName, LocationAddress);

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);
}

public static class EventRows
{
    private const string Select = """
        SELECT e.id, e.org, e.series_id, e.title, e.kind, e.description, e.location_name, e.location_address,
               e.starts_at, e.ends_at, e.status, e.status_reason, o.time_zone
        FROM events e LEFT JOIN organisations o ON o.slug = e.org
        WHERE e.id = @id
        """;

    public static Task<EventRow?> FindAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null) =>
        ReadOneAsync(connection, Select, id, transaction, cancellationToken);

    /// <summary>
    /// Reads the event and locks its row until the transaction ends: every change of an event's
    /// status or time goes through this lock, so two coordinators' changes happen one after the other.
    /// </summary>
    public static Task<EventRow?> LockAsync(NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return ReadOneAsync(transaction.Connection!, Select + " FOR UPDATE OF e", id, transaction, cancellationToken);
    }

    private static async Task<EventRow?> ReadOneAsync(NpgsqlConnection connection, string sql, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<StoredEvent>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        return stored?.Row;
    }

    /// <summary>The event with its shifts and their staffing, as the API answers it.</summary>
    public static async Task<EventView> ViewAsync(NpgsqlConnection connection, EventRow row, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(row);
        const string sql = $"""
            SELECT id, title, starts_at, ends_at, capacity, minimum, confirmed, waitlisted, required_qualification, newcomer_friendly,
                   {ShiftViewReader.StatusColumn} AS status
            FROM shifts s
            WHERE event_id = @id
            ORDER BY starts_at, id
            """;
        var shifts = (await connection.QueryAsync<StoredShift>(new CommandDefinition(sql, new { id = row.Id }, transaction, cancellationToken: cancellationToken)))
            .Select(shift => new EventShiftView(shift.Id, shift.Title, row.Local(shift.StartsAt), row.Local(shift.EndsAt), shift.Capacity, shift.Minimum,
                shift.Confirmed, shift.Waitlisted, shift.RequiredQualification, shift.NewcomerFriendly, shift.Status))
            .ToList();

        return new EventView(row.Id, row.Org, row.SeriesId, row.Title, row.Kind, row.Description,
            new EventLocation(row.LocationName, row.LocationAddress), row.Local(row.StartsAt), row.Local(row.EndsAt),
            row.TimeZone.Id, row.Status, row.StatusReason, shifts);
    }

    /// <summary>Re-reads the event inside the transaction that changed it and answers it.</summary>
    public static async Task<EventView> ViewAsync(NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var row = await FindAsync(transaction.Connection!, id, cancellationToken, transaction)
            ?? throw new InvalidOperationException($"Event {id} vanished inside its own transaction.");
        return await ViewAsync(transaction.Connection!, row, cancellationToken, transaction);
    }

    /// <summary>An event's row as <see cref="Select"/> reads it; the organisation's zone is null until its replica arrives.</summary>
    private sealed class StoredEvent
    {
        public Guid Id { get; init; }
        public string Org { get; init; } = "";
        public Guid? SeriesId { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Description { get; init; }
        public string LocationName { get; init; } = "";
        public string? LocationAddress { get; init; }
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string Status { get; init; } = "";
        public string? StatusReason { get; init; }
        public string? TimeZone { get; init; }

        public EventRow Row => new(Id, Org, SeriesId, Title, Kind, Description, LocationName, LocationAddress, StartsAt, EndsAt, Status, StatusReason,
            TimeZones.Find(TimeZone));
    }

    private sealed class StoredShift
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public int Capacity { get; init; }
        public int Minimum { get; init; }
        public int Confirmed { get; init; }
        public int Waitlisted { get; init; }
        public string? RequiredQualification { get; init; }
        public bool NewcomerFriendly { get; init; }
        public string Status { get; init; } = "";
    }
}
