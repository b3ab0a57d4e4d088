using Npgsql;
using Shifts.Contracts;

namespace Shifts.Events.Staffing;

/// <summary>Reads the shift facts every message about a shift carries (claims, waitlist, moves, gaps, erasure).</summary>
public static class ShiftDetailsReader
{
    /// <summary>
    /// What a message about this shift must say: event, shift, place, time. Read inside the caller's
    /// transaction so it matches the change being published.
    /// </summary>
    public static async Task<ShiftDetails?> ReadAsync(NpgsqlTransaction transaction, Guid shiftId, CancellationToken cancellationToken)
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
}
