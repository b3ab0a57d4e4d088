using Npgsql;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// The memberships replica that the events and notifications services keep (fed by the volunteers
/// service's MembershipChanged): <c>memberships (volunteer_id, org, role)</c>, its version gate
/// <c>membership_versions (volunteer_id, org, version)</c>, and a table of erased ids. Both
/// services decide who may do what from it (<see cref="Directory"/>).
/// </summary>
public static class MembershipReplica
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

    /// <summary>
    /// A caller's current rights from the replica, in one query on the person's primary key: an
    /// erased person (their id in <paramref name="erasedTable"/>) is null, 401 with every token;
    /// anyone else has the roles the replica holds, possibly none. The platform-admin flag is the
    /// volunteers service's business and never set here.
    /// </summary>
    public static ICallerDirectory Directory(NpgsqlDataSource db, string erasedTable)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!System.Text.RegularExpressions.Regex.IsMatch(erasedTable, "^[a-z_]+$"))
        {
            throw new ArgumentException("A table name of lower-case letters and underscores.", nameof(erasedTable));
        }

        return new ReplicaDirectory(db, $"""
            SELECT NULL::text, NULL::text FROM {erasedTable} WHERE id = @id
            UNION ALL
            SELECT org, role FROM memberships WHERE volunteer_id = @id
            """);
    }

    private sealed class ReplicaDirectory(NpgsqlDataSource db, string sql) : ICallerDirectory
    {
        public async Task<CallerState?> FindAsync(Guid volunteerId, CancellationToken cancellationToken)
        {
            // The erased marker comes as a row with no organisation.
            await using var command = db.CreateCommand(sql);
            command.Parameters.AddWithValue("id", volunteerId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var memberships = new List<(string, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(0))
                {
                    return null;
                }

                memberships.Add((reader.GetString(0), reader.GetString(1)));
            }

            return CallerState.From(false, memberships);
        }
    }
}
