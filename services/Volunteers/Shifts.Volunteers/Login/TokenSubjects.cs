using Dapper;
using Npgsql;
using Shifts.Volunteers.Tokens;

namespace Shifts.Volunteers.Login;

/// <summary>Who a new access token is for: the person's current name, platform-admin flag and memberships.</summary>
public static class TokenSubjects
{
    /// <summary>Null when there is no such person (any more).</summary>
    public static async Task<TokenSubject?> LoadAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var rows = (await tx.Connection!.QueryAsync<SubjectRow>(new CommandDefinition("""
            SELECT v.name, v.is_platform_admin, o.slug, m.role
            FROM volunteers v
            LEFT JOIN memberships m ON m.volunteer_id = v.id
            LEFT JOIN organisations o ON o.id = m.org_id
            WHERE v.id = @volunteerId
            ORDER BY o.slug
            """, new { volunteerId }, tx, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0
            ? null
            : new TokenSubject(volunteerId, rows[0].Name, [.. rows.Where(r => r.Slug is not null).Select(r => (r.Slug!, r.Role!))], rows[0].IsPlatformAdmin);
    }

    private sealed record SubjectRow(string Name, bool IsPlatformAdmin, string? Slug, string? Role)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private SubjectRow()
            : this(default!, default!, default!, default!)
        {
        }
    }
}
