using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Paging;

namespace Shifts.Volunteers.Members;

/// <summary>A member as coordinators see them: with contact details, so every read of it is logged.</summary>
public sealed record MemberView(Guid VolunteerId, string Name, string Email, string? Phone, string Role, IReadOnlyList<string> Qualifications);

/// <summary>Which members to read: one by id, or a keyset page of a list sorted by name, optionally searched or filtered.</summary>
internal sealed record MemberQuery(Guid? VolunteerId, string? Search, string? Qualification, MemberPosition? After, int Limit)
{
    public static MemberQuery One(Guid volunteerId) => new(volunteerId, null, null, null, 1);
}

/// <summary>Where a page of the member list ended: the sort key (lower-cased name) and id of its last row.</summary>
internal readonly record struct MemberPosition(string SortName, Guid VolunteerId)
{
    public string ToCursor() => new CursorWriter().Text(SortName).Guid(VolunteerId).ToString();

    public static MemberPosition? Read(CursorReader reader) =>
        reader.Text(out var sortName) && reader.Guid(out var id) ? new MemberPosition(sortName, id) : null;
}

internal static class MemberRows
{
    /// <summary>
    /// Members sorted by name, a keyset page after <see cref="MemberQuery.After"/>: the cost follows the page.
    /// The search matches any part of the name, case-insensitively, with LIKE's wildcards escaped.
    /// </summary>
    public static async Task<List<MemberRow>> ReadAsync(NpgsqlTransaction tx, Guid orgId, MemberQuery query, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT v.id AS volunteer_id, v.name, v.email, v.phone, m.role,
                   ARRAY(SELECT q.code FROM member_qualifications q
                         WHERE q.volunteer_id = m.volunteer_id AND q.org_id = m.org_id ORDER BY q.code) AS qualifications,
                   lower(v.name) AS sort_name
            FROM memberships m
            JOIN volunteers v ON v.id = m.volunteer_id
            WHERE m.org_id = @orgId
              AND (@volunteerId::uuid IS NULL OR m.volunteer_id = @volunteerId)
              AND (@search::text IS NULL OR v.name ILIKE '%' || @search || '%')
              AND (@qualification::text IS NULL OR EXISTS (
                    SELECT 1 FROM member_qualifications f
                    WHERE f.volunteer_id = m.volunteer_id AND f.org_id = m.org_id AND f.code = @qualification))
              AND (@afterName::text IS NULL OR (lower(v.name), v.id) > (@afterName, @afterId))
            ORDER BY lower(v.name), v.id
            LIMIT @limit
            """;
        var rows = await tx.Connection!.QueryAsync<MemberRow>(new CommandDefinition(sql, new
        {
            orgId,
            volunteerId = query.VolunteerId,
            search = query.Search is null ? null : EscapeLike(query.Search),
            qualification = query.Qualification,
            afterName = query.After?.SortName,
            afterId = query.After?.VolunteerId ?? Guid.Empty,
            limit = query.Limit,
        }, tx, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}

internal sealed record MemberRow(Guid VolunteerId, string Name, string Email, string? Phone, string Role, string[] Qualifications, string SortName)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private MemberRow()
        : this(default!, default!, default!, default!, default!, default!, default!)
    {
    }

    public MemberView View => new(VolunteerId, Name, Email, Phone, Role, Qualifications);

    public MemberPosition Position => new(SortName, VolunteerId);
}
