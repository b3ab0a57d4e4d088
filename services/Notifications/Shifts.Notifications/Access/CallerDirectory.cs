using Npgsql;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Notifications.Access;

/// <summary>
/// A caller's current rights from the memberships replica (fed by MembershipChanged), in one
/// query on the person's primary key: an erased person is null (401 with every token), anyone
/// else has the roles the replica holds, possibly none. The platform-admin flag is not used by
/// this service, so it is never set here.
/// </summary>
public sealed class CallerDirectory(NpgsqlDataSource db) : ICallerDirectory
{
    public async Task<CallerState?> FindAsync(Guid volunteerId, CancellationToken cancellationToken)
    {
        // The erased marker comes as a row with no organisation.
        await using var command = db.CreateCommand("""
            SELECT NULL::text, NULL::text FROM erased_recipients WHERE id = @id
            UNION ALL
            SELECT org, role FROM memberships WHERE volunteer_id = @id
            """);
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
