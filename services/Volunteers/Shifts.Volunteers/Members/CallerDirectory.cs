using Npgsql;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Volunteers.Members;

/// <summary>
/// A caller's current rights from this service's own tables: the platform-admin flag and every
/// membership, in one query on the person's primary key. No row (the person was erased) is null,
/// so every token they still hold gets 401.
/// </summary>
public sealed class CallerDirectory(NpgsqlDataSource db) : ICallerDirectory
{
    public async Task<CallerState?> FindAsync(Guid volunteerId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT v.is_platform_admin, o.slug, m.role
            FROM volunteers v
            LEFT JOIN memberships m ON m.volunteer_id = v.id
            LEFT JOIN organisations o ON o.id = m.org_id
            WHERE v.id = @id
            """);
        command.Parameters.AddWithValue("id", volunteerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        bool? admin = null;
        var memberships = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            admin = reader.GetBoolean(0);
            if (!reader.IsDBNull(1))
            {
                memberships.Add((reader.GetString(1), reader.GetString(2)));
            }
        }

        return admin is { } isAdmin ? CallerState.From(isAdmin, memberships) : null;
    }
}
