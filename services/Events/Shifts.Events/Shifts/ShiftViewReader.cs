using Dapper;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Shifts;

/// <summary>Reads a <see cref="ShiftView"/>: the shift, its event's facts and its claimants' display names, in the organisation's local time.</summary>
public static class ShiftViewReader
{
    public static async Task<ShiftView?> LoadAsync(NpgsqlDataSource db, Guid shiftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        const string sql = """
            SELECT s.id, s.event_id, s.org, e.title AS event_title, s.event_status, s.kind, s.title, s.starts_at, s.ends_at,
                   e.location_name, e.location_address, s.capacity, s.minimum, s.confirmed, s.waitlisted,
                   s.required_qualification, s.newcomer_friendly, s.status
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.id = @shiftId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<ShiftViewRow>(new CommandDefinition(sql, new { shiftId }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var organisation = await Organisation.FindAsync(connection, row.Org, cancellationToken);
        const string names = $"""
            SELECT c.volunteer_id, coalesce(nullif(v.display_name, ''), 'Helper') AS name
            FROM claims c LEFT JOIN volunteers v ON v.id = c.volunteer_id
            WHERE c.shift_id = @shiftId AND c.status = '{ClaimStatus.Confirmed}'
            ORDER BY c.created_at
            """;
        var claimants = (await connection.QueryAsync<(Guid VolunteerId, string Name)>(new CommandDefinition(names, new { shiftId }, cancellationToken: cancellationToken)))
            .Select(claimant => new ClaimantView(claimant.VolunteerId, claimant.Name))
            .ToList();

        // Answers show the organisation's local time, with its offset.
        var zone = organisation?.TimeZone ?? TimeZones.Default;
        return new ShiftView(row.Id, row.EventId, row.Org, row.EventTitle, row.EventStatus, row.Kind, row.Title,
            TimeZoneInfo.ConvertTime(row.StartsAt, zone), TimeZoneInfo.ConvertTime(row.EndsAt, zone), zone.Id,
            new LocationView(row.LocationName, row.LocationAddress),
            row.Capacity, row.Minimum, row.Confirmed, row.Waitlisted, row.RequiredQualification, row.NewcomerFriendly, row.Status, claimants);
    }

    private sealed class ShiftViewRow
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public string Org { get; init; } = "";
        public string EventTitle { get; init; } = "";
        public string EventStatus { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string LocationName { get; init; } = "";
        public string? LocationAddress { get; init; }
        public int Capacity { get; init; }
        public int Minimum { get; init; }
        public int Confirmed { get; init; }
        public int Waitlisted { get; init; }
        public string? RequiredQualification { get; init; }
        public bool NewcomerFriendly { get; init; }
        public string Status { get; init; } = "";
    }
}
