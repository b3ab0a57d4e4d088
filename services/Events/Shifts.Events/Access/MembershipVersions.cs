using Npgsql;

namespace Shifts.Events.Access;

/// <summary>The per-membership version gate of MembershipChanged (see migration 0003).</summary>
public static class MembershipVersions
{
    /// <summary>
    /// Records <paramref name="version"/> as the membership's latest and returns true, unless a
    /// newer one was applied already (then false: the change is stale and must change nothing).
    /// The row lock this takes orders concurrent changes of one membership. Version 0 (a publisher
    /// that predates versions) applies only while nothing newer was seen.
    /// </summary>
    public static async Task<bool> TryAdvanceAsync(NpgsqlTransaction tx, Guid volunteerId, string org, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("""
            INSERT INTO membership_versions (volunteer_id, org, version) VALUES (@id, @org, @version)
            ON CONFLICT (volunteer_id, org) DO UPDATE SET version = excluded.version
            WHERE membership_versions.version <= excluded.version
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("id", volunteerId);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Whether the person was erased (their tombstone is here).</summary>
    public static async Task<bool> IsErasedAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM erased_volunteers WHERE id = @id)", tx.Connection, tx);
        command.Parameters.AddWithValue("id", volunteerId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
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
        await using var command = new NpgsqlCommand(
            "SELECT 1 FROM memberships WHERE volunteer_id = @id AND org = @org FOR KEY SHARE", tx.Connection, tx);
        command.Parameters.AddWithValue("id", volunteerId);
        command.Parameters.AddWithValue("org", org);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
