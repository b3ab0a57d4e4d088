using Dapper;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Shifts;

/// <summary>Reads a <see cref="ShiftView"/>: the shift, its event's facts and its claimants' display names, in the organisation's local time.</summary>
public static class ShiftViewReader
{
    /// <summary>
    /// A shift's status as answers give it (of <c>shifts s</c>): its own, except that every shift of a
    /// cancelled event reads cancelled (the row keeps its own, so the plan can still be read).
    /// </summary>
    public const string StatusColumn = $"CASE WHEN s.event_status = '{EventStatus.Cancelled}' THEN '{ShiftStatus.Cancelled}' ELSE s.status END";

    public static async Task<ShiftView?> LoadAsync(NpgsqlDataSource db, Guid shiftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        const string sql = $"""
            SELECT {OpenShiftRow.Columns}, s.org, s.event_status, {StatusColumn} AS status
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
            row.Location,
            row.Capacity, row.Minimum, row.Confirmed, row.Waitlisted, row.RequiredQualification, row.NewcomerFriendly, row.Status, claimants);
    }

    private sealed class ShiftViewRow : OpenShiftRow
    {
        public string Org { get; init; } = "";
        public string EventStatus { get; init; } = "";
        public string Status { get; init; } = "";
    }
}
