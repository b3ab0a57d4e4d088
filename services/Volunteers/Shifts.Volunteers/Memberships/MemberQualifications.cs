using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Memberships;

/// <summary>The qualifications a member holds in an organisation, and QualificationsChanged with every change.</summary>
public static class MemberQualifications
{
    /// <summary>The codes the organisation does not have, in the order given.</summary>
    public static async Task<List<string>> UnknownCodesAsync(NpgsqlTransaction tx, Guid orgId, string[] codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Length == 0)
        {
            return [];
        }

        var known = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            "SELECT code FROM qualifications WHERE org_id = @orgId AND code = ANY(@codes)", new { orgId, codes }, tx, cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
        return codes.Where(c => !known.Contains(c)).ToList();
    }

    /// <summary>Makes the person's qualifications in the organisation exactly <paramref name="codes"/>; publishes them when that changed anything.</summary>
    public static async Task ReplaceAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation organisation, string[] codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(organisation);
        const string sql = """
            WITH removed AS (
                DELETE FROM member_qualifications
                WHERE volunteer_id = @volunteerId AND org_id = @orgId AND NOT (code = ANY(@codes))
                RETURNING 1
            ), added AS (
                INSERT INTO member_qualifications (volunteer_id, org_id, code)
                SELECT @volunteerId, @orgId, unnest(@codes)
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added)
            """;
        var changes = await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            sql, new { volunteerId, orgId = organisation.Id, codes }, tx, cancellationToken: cancellationToken));
        if (changes > 0)
        {
            await Outbox.EnqueueAsync(tx, new QualificationsChanged(volunteerId, organisation.Slug, codes), cancellationToken);
        }
    }
}
