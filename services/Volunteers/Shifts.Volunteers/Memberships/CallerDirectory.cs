using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Volunteers.Memberships;

/// <summary>
/// A caller's current rights from this service's own tables: the platform-admin flag and every
/// membership, in one query on the person's primary key. No row (the person was erased) is null,
/// so every token they still hold gets 401.
/// </summary>
public sealed class CallerDirectory(NpgsqlDataSource db) : ICallerDirectory
{
    public async Task<CallerState?> FindAsync(Guid volunteerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RightsRow>(new CommandDefinition("""
            SELECT v.is_platform_admin, o.slug, m.role
            FROM volunteers v
            LEFT JOIN memberships m ON m.volunteer_id = v.id
            LEFT JOIN organisations o ON o.id = m.org_id
            WHERE v.id = @volunteerId
            """, new { volunteerId }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0
            ? null
            : CallerState.From(rows[0].IsPlatformAdmin, [.. rows.Where(r => r.Slug is not null).Select(r => (r.Slug!, r.Role!))]);
    }

    private sealed record RightsRow(bool IsPlatformAdmin, string? Slug, string? Role)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private RightsRow()
            : this(default!, default!, default!)
        {
        }
    }
}
