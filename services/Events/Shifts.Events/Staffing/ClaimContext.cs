using Dapper;
using Npgsql;
using Shifts.Events.Statuses;

namespace Shifts.Events.Staffing;

/// <summary>
/// Everything a claim decides before it takes a place, read in one round trip of the claim's
/// transaction: the shift's state, whether the person's membership row is there (held FOR KEY
/// SHARE until the commit, see MembershipVersions.HoldMembershipAsync), the claim they may hold
/// already, and whether they hold the qualification the shift requires.
/// </summary>
internal sealed record ClaimContext(ShiftState? Shift, bool MembershipHeld, ClaimView? Held, bool HoldsQualification)
{
    public static async Task<ClaimContext> LoadAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        // Three statements, one round trip (Npgsql sends them as one batch).
        const string sql = $"""
            SELECT {ShiftState.Columns}
            FROM shifts s LEFT JOIN organisations o ON o.slug = s.org
            WHERE s.id = @shiftId;

            SELECT 1 FROM memberships
            WHERE volunteer_id = @volunteerId AND org = (SELECT org FROM shifts WHERE id = @shiftId)
            FOR KEY SHARE;

            SELECT c.id, c.created_at,
                   EXISTS (SELECT 1 FROM shifts s JOIN qualifications q
                           ON q.volunteer_id = @volunteerId AND q.org = s.org AND q.code = s.required_qualification
                           WHERE s.id = @shiftId) AS holds_qualification
            FROM (SELECT 1) one
            LEFT JOIN claims c ON c.shift_id = @shiftId AND c.volunteer_id = @volunteerId AND c.status = '{ClaimStatus.Confirmed}';
            """;
        await using var results = await tx.Connection!.QueryMultipleAsync(new CommandDefinition(
            sql, new { shiftId, volunteerId }, tx, cancellationToken: cancellationToken));
        var shift = await results.ReadSingleOrDefaultAsync<ShiftState>();
        var membershipHeld = (await results.ReadAsync<int>()).Any();
        var claim = await results.ReadSingleAsync<HeldRow>();
        var held = claim.Id is { } id ? new ClaimView(id, shiftId, volunteerId, ClaimStatus.Confirmed, claim.CreatedAt!.Value) : null;
        return new ClaimContext(shift, membershipHeld, held, claim.HoldsQualification);
    }

    private sealed class HeldRow
    {
        public Guid? Id { get; init; }
        public DateTimeOffset? CreatedAt { get; init; }
        public bool HoldsQualification { get; init; }
    }
}
