using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>
/// Events that move (the council networking meeting that was postponed): postpone keeps every
/// claim, reschedule moves the shifts and their claims and releases only the claims that would now
/// collide with the same person's other claims, cancel releases them all. Each tells the people
/// affected through the outbox, in the transaction that made the change. One file per move
/// (EventMoves.Postpone.cs, EventMoves.Reschedule.cs, EventMoves.Cancel.cs); this one holds what
/// they share, and <see cref="ReleasedClaims"/> the claims a move takes away.
/// </summary>
public static partial class EventMoves
{
    public const int MaxReason = 1000;

    internal static ProblemHttpResult? ReasonProblem(string? reason) =>
        reason is not null && reason.Trim().Length > MaxReason
            ? Problem.Validation("reason", $"'reason' may be at most {MaxReason} characters long.")
            : null;

    /// <summary>The event's status, copied to its shifts (the open-shift list and claims look only at the shift).</summary>
    private static async Task SetStatusAsync(NpgsqlTransaction tx, Guid eventId, string status, string? reason, CancellationToken ct)
    {
        const string sql = """
            UPDATE events SET status = @status, status_reason = @reason, updated_at = now() WHERE id = @id;
            UPDATE shifts SET event_status = @status, updated_at = now() WHERE event_id = @id;
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = eventId, status, reason }, tx, cancellationToken: ct));
    }

    /// <summary>Everyone holding a confirmed claim on one of the event's shifts.</summary>
    private static async Task<List<Guid>> ClaimantsAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken ct)
    {
        const string sql = $"""
            SELECT DISTINCT c.volunteer_id
            FROM claims c JOIN shifts s ON s.id = c.shift_id
            WHERE s.event_id = @id AND c.status = '{ClaimStatus.Confirmed}'
            ORDER BY c.volunteer_id
            """;
        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(sql, new { id = eventId }, tx, cancellationToken: ct))).ToList();
    }
}
