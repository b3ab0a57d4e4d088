using Dapper;
using Npgsql;
using Shifts.Events.Statuses;
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
        s.id AS shift_id, s.org, e.title AS event_title, s.title AS shift_title, s.starts_at, s.ends_at, e.location_name, e.location_address,
        o.time_zone, s.calendar_sequence AS sequence,
        greatest(s.calendar_revised_at, c.created_at, c.cancelled_at) AS revised_at,
        (s.status = '{ShiftStatus.Cancelled}' OR s.event_status = '{EventStatus.Cancelled}' OR c.cancel_reason IN ('shift-cancelled', 'event-cancelled')) AS cancelled,
        s.event_status IN ('{EventStatus.Postponed}', '{EventStatus.Draft}') AS tentative,
        c.id AS claim_id
        """;

    /// <summary>
    /// A person's feed: every shift they hold, from <see cref="History"/> ago on, and those taken
    /// from them by cancelling the shift or its event (kept, as STATUS:CANCELLED, so the calendar
    /// shows the shift struck out rather than silently gone). Shifts they gave back, or were
    /// released from (by a coordinator, a reschedule conflict), are no longer theirs: not listed.
    /// </summary>
    public static async Task<List<CalendarEntry>> FeedAsync(NpgsqlConnection connection, Guid volunteerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"""
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
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(sql, new { volunteer = volunteerId, since = (now - History).ToUniversalTime() },
            cancellationToken: cancellationToken));
        return rows.Select(row => row.Entry(volunteerId)).ToList();
    }

    /// <summary>One shift for one person, whether or not they hold it; null when there is no such shift.</summary>
    public static async Task<(CalendarEntry Entry, string EventStatus)?> ShiftAsync(NpgsqlConnection connection, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}, s.event_status
            FROM shifts s
            JOIN events e ON e.id = s.event_id
            LEFT JOIN organisations o ON o.slug = s.org
            LEFT JOIN claims c ON c.shift_id = s.id AND c.volunteer_id = @volunteer
            WHERE s.id = @shift
            """;
        var row = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition(sql, new { shift = shiftId, volunteer = volunteerId },
            cancellationToken: cancellationToken));
        return row is null ? null : (row.Entry(volunteerId), row.EventStatus);
    }

    /// <summary>A row of <see cref="Columns"/> (and, for one shift, its event's status).</summary>
    private sealed class EntryRow
    {
        public Guid ShiftId { get; init; }
        public Guid? ClaimId { get; init; }
        public string Org { get; init; } = "";
        public string EventTitle { get; init; } = "";
        public string ShiftTitle { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string LocationName { get; init; } = "";
        public string? LocationAddress { get; init; }
        public string? TimeZone { get; init; }
        public int Sequence { get; init; }
        public DateTimeOffset RevisedAt { get; init; }

        /// <summary>NULL when no claim and the shift stands (NULL IN (…) is NULL, and NULL OR false is NULL).</summary>
        public bool? Cancelled { get; init; }

        public bool Tentative { get; init; }
        public string EventStatus { get; init; } = "";

        public CalendarEntry Entry(Guid volunteerId) => new(ShiftId, volunteerId, ClaimId, Org, EventTitle, ShiftTitle, StartsAt, EndsAt,
            LocationName, LocationAddress, TimeZones.Find(TimeZone), Sequence, RevisedAt, Cancelled ?? false, Tentative);
    }
}
