using Shifts.Events.Statuses;
using Npgsql;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Calendar;

/// <summary>One shift as it appears in one person's calendar.</summary>
/// <param name="ClaimId">The person's claim on the shift, if they ever held one: its id is the entry's UID, as in the confirmation mail's .ics.</param>
/// <param name="Cancelled">The shift or its whole event was cancelled (for a feed: while the person held it).</param>
/// <param name="Tentative">The event is postponed (a new time is to come) or still a draft (coordinators only).</param>
public sealed record CalendarEntry(
    Guid ShiftId,
    Guid VolunteerId,
    Guid? ClaimId,
    string Org,
    string EventTitle,
    string ShiftTitle,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocationName,
    string? LocationAddress,
    TimeZoneInfo TimeZone,
    int Sequence,
    DateTimeOffset RevisedAt,
    bool Cancelled,
    bool Tentative);

/// <summary>What a calendar shows of a person's shifts, read in one query each.</summary>
public static class CalendarEntries
{
    /// <summary>How far back a feed reaches: past shifts stay a while (hours, "where was I?"), then drop out.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(56);

    // The entry was revised when the shift was (times, place, status) or when the person's claim
    // was (taken, given back and taken again, released by a cancellation): DTSTAMP is the latest.
    private const string Columns = $"""
        s.id, s.org, e.title, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
        o.time_zone, s.calendar_sequence,
        greatest(s.calendar_revised_at, c.created_at, c.cancelled_at),
        s.status = '{ShiftStatus.Cancelled}' OR s.event_status = '{EventStatus.Cancelled}' OR c.cancel_reason IN ('shift-cancelled', 'event-cancelled'),
        s.event_status IN ('{EventStatus.Postponed}', '{EventStatus.Draft}'),
        c.id
        """;

    /// <summary>
    /// A person's feed: every shift they hold, from <see cref="History"/> ago on, and those taken
    /// from them by cancelling the shift or its event (kept, as STATUS:CANCELLED, so the calendar
    /// shows the shift struck out rather than silently gone). Shifts they gave back, or were
    /// released from (by a coordinator, a reschedule conflict), are no longer theirs: not listed.
    /// </summary>
    public static async Task<List<CalendarEntry>> FeedAsync(NpgsqlConnection connection, Guid volunteerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Columns}
            FROM claims c
            JOIN shifts s ON s.id = c.shift_id
            JOIN events e ON e.id = s.event_id
            LEFT JOIN organisations o ON o.slug = s.org
            WHERE c.volunteer_id = @volunteer
              AND (c.status = '{ClaimStatus.Confirmed}' OR c.cancel_reason IN ('shift-cancelled', 'event-cancelled'))
              AND s.ends_at >= @since
            ORDER BY s.starts_at, s.id
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        command.Parameters.AddWithValue("since", (now - History).ToUniversalTime());
        return await ReadAsync(command, volunteerId, cancellationToken);
    }

    /// <summary>One shift for one person, whether or not they hold it; null when there is no such shift.</summary>
    public static async Task<(CalendarEntry Entry, string EventStatus)?> ShiftAsync(NpgsqlConnection connection, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Columns}, s.event_status
            FROM shifts s
            JOIN events e ON e.id = s.event_id
            LEFT JOIN organisations o ON o.slug = s.org
            LEFT JOIN claims c ON c.shift_id = s.id AND c.volunteer_id = @volunteer
            WHERE s.id = @shift
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("shift", shiftId);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Read(reader, volunteerId), reader.GetString(14)) : null;
    }

    private static async Task<List<CalendarEntry>> ReadAsync(NpgsqlCommand command, Guid volunteerId, CancellationToken cancellationToken)
    {
        var entries = new List<CalendarEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader, volunteerId));
        }

        return entries;
    }

    private static CalendarEntry Read(NpgsqlDataReader reader, Guid volunteerId) => new(
        reader.GetGuid(0),
        volunteerId,
        reader.IsDBNull(13) ? null : reader.GetGuid(13),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        TimeZones.Find(reader.IsDBNull(8) ? null : reader.GetString(8)),
        reader.GetInt32(9),
        reader.GetFieldValue<DateTimeOffset>(10),
        // NULL when no claim and the shift stands (NULL IN (…) is NULL, and NULL OR false is NULL).
        !reader.IsDBNull(11) && reader.GetBoolean(11),
        reader.GetBoolean(12));
}
