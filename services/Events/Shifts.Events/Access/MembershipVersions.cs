using Dapper;
using Npgsql;

namespace Shifts.Events.Access;

/// <summary>
/// What the events service asks of its memberships replica beyond MembershipReplica's version gate:
/// erasure tombstones (migration 0003), and holding a membership while a claim takes a place.
/// </summary>
public static class MembershipVersions
{
    /// <summary>Whether the person was erased (their tombstone is here).</summary>
    public static async Task<bool> IsErasedAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM erased_volunteers WHERE id = @id)", new { id = volunteerId }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Whether the person is still a member, holding the membership row (FOR KEY SHARE) until the
    /// caller's transaction ends. A claim takes it before taking a place: an erasure or a removal
    /// deletes that row first, so it waits for a claim in flight (and then releases it) or the
    /// claim finds no membership: no claim outlives the erasure that raced it.
    /// </summary>
    public static async Task<bool> HoldMembershipAsync(NpgsqlTransaction tx, Guid volunteerId, string org, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var held = await tx.Connection!.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT 1 FROM memberships WHERE volunteer_id = @id AND org = @org FOR KEY SHARE", new { id = volunteerId, org }, tx, cancellationToken: cancellationToken));
        return held is not null;
    }
}
