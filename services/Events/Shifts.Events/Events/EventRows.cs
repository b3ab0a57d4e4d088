using Shifts.Events.Statuses;
using Npgsql;
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

    public static async Task<EventRow?> FindAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(Select, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>
    /// Reads the event and locks its row until the transaction ends: every change of an event's
    /// status or time goes through this lock, so two coordinators' changes happen one after the other.
    /// </summary>
    public static async Task<EventRow?> LockAsync(NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var command = new NpgsqlCommand(Select + " FOR UPDATE OF e", transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    private static async Task<EventRow?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new EventRow(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetFieldValue<DateTimeOffset>(8),
            reader.GetFieldValue<DateTimeOffset>(9),
            reader.GetString(10),
            reader.IsDBNull(11) ? null : reader.GetString(11),
            TimeZones.Find(reader.IsDBNull(12) ? null : reader.GetString(12)));
    }

    /// <summary>The event with its shifts and their staffing, as the API answers it.</summary>
    public static async Task<EventView> ViewAsync(NpgsqlConnection connection, EventRow row, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        const string sql = """
            SELECT id, title, starts_at, ends_at, capacity, minimum, confirmed, waitlisted, required_qualification, newcomer_friendly, status
            FROM shifts
            WHERE event_id = @id
            ORDER BY starts_at, id
            """;
        var shifts = new List<EventShiftView>();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("id", row.Id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                shifts.Add(new EventShiftView(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    row.Local(reader.GetFieldValue<DateTimeOffset>(2)),
                    row.Local(reader.GetFieldValue<DateTimeOffset>(3)),
                    reader.GetInt32(4),
                    reader.GetInt32(5),
                    reader.GetInt32(6),
                    reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetBoolean(9),
                    reader.GetString(10)));
            }
        }

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
}
