using Npgsql;

namespace Shifts.Notifications.Access;

/// <summary>The per-membership version gate of MembershipChanged (see migration 0006).</summary>
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
}
