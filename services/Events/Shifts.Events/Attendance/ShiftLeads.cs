using Dapper;
using Npgsql;

namespace Shifts.Events.Attendance;

/// <summary>
/// Who leads which shift (table shift_leads, named by coordinators through <see cref="ShiftLeadsApi"/>).
/// A lead of any shift of an event may run that event's check-in, while they are a member of the
/// organisation: leaving it ends the right without anyone removing the row.
/// </summary>
public static class ShiftLeads
{
    /// <summary>Whether <paramref name="volunteerId"/> leads a shift of the event and is still a member of its organisation.</summary>
    public static async Task<bool> LeadsEventAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid volunteerId, Guid eventId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string sql = """
            SELECT EXISTS (
                SELECT 1 FROM shift_leads l
                JOIN shifts s ON s.id = l.shift_id
                JOIN memberships m ON m.volunteer_id = l.volunteer_id AND m.org = s.org
                WHERE l.volunteer_id = @volunteerId AND s.event_id = @eventId)
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { volunteerId, eventId }, tx, cancellationToken: ct));
    }

    /// <summary>The leads of each of the event's shifts, by name.</summary>
    public static async Task<ILookup<Guid, AttendanceLead>> OfEventAsync(NpgsqlConnection connection, Guid eventId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string sql = """
            SELECT l.shift_id, l.volunteer_id, coalesce(v.display_name, '') AS name
            FROM shift_leads l JOIN shifts s ON s.id = l.shift_id LEFT JOIN volunteers v ON v.id = l.volunteer_id
            WHERE s.event_id = @eventId
            ORDER BY v.display_name, l.volunteer_id
            """;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { eventId }, cancellationToken: ct));
        return rows.ToLookup(r => r.ShiftId, r => new AttendanceLead(r.VolunteerId, r.Name));
    }

    private sealed class Row
    {
        public Guid ShiftId { get; init; }
        public Guid VolunteerId { get; init; }
        public string Name { get; init; } = "";
    }
}
