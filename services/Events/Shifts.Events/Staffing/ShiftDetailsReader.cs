using Dapper;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Events.Staffing;

/// <summary>Reads the shift facts every message about a shift carries (claims, waitlist, moves, gaps, erasure), with its revision (calendar_sequence, raised by the triggers of migration 0004).</summary>
public static class ShiftDetailsReader
{
    /// <summary>The columns of <see cref="ShiftDetails"/>, from <c>shifts s JOIN events e</c>, named as <see cref="ShiftDetailsRow"/> reads them.</summary>
    internal const string Columns = """
        s.id AS shift_id, s.event_id, s.org, e.title AS event_title, s.title AS shift_title, s.starts_at, s.ends_at,
        e.location_name, e.location_address, s.calendar_sequence::bigint AS revision
        """;

    /// <summary>
    /// What a message about this shift must say: event, shift, place, time. Read inside the caller's
    /// transaction so it matches the change being published.
    /// </summary>
    public static async Task<ShiftDetails?> ReadAsync(NpgsqlTransaction transaction, Guid shiftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = $"""
            SELECT {Columns}
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.id = @shiftId
            """;
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<ShiftDetailsRow>(
            new CommandDefinition(sql, new { shiftId }, transaction, cancellationToken: cancellationToken));
        return row?.Details;
    }

    /// <summary>The details from a reader positioned on a row of <see cref="Columns"/>, in their order.</summary>
    internal static ShiftDetails FromRecord(System.Data.Common.DbDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetInt64(9));

    /// <summary>
    /// The details of every shift of an event, in time order, read inside the caller's transaction
    /// after a move of the whole event, so each carries the revision the move raised.
    /// </summary>
    public static async Task<IReadOnlyList<ShiftDetails>> ReadOfEventAsync(NpgsqlTransaction transaction, Guid eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = $"""
            SELECT {Columns}
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.event_id = @eventId
            ORDER BY s.starts_at, s.id
            """;
        var rows = await transaction.Connection!.QueryAsync<ShiftDetailsRow>(
            new CommandDefinition(sql, new { eventId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.Details).ToList();
    }
}

/// <summary>A row of <see cref="ShiftDetailsReader.Columns"/>; Dapper fills it by property (see DapperMapping).</summary>
internal sealed class ShiftDetailsRow
{
    public Guid ShiftId { get; init; }
    public Guid EventId { get; init; }
    public string Org { get; init; } = "";
    public string EventTitle { get; init; } = "";
    public string ShiftTitle { get; init; } = "";
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public string LocationName { get; init; } = "";
    public string? LocationAddress { get; init; }
    public long Revision { get; init; }

    public ShiftDetails Details => new(ShiftId, EventId, Org, EventTitle, ShiftTitle, StartsAt, EndsAt, LocationName, LocationAddress, Revision);
}
