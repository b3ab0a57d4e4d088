using Dapper;
using Npgsql;

namespace Shifts.Events.Organisations;

/// <summary>
/// The qualification codes an organisation recognises (table organisation_qualifications, migration
/// 0009): those the volunteers service announced (QualificationAdded) and those its members hold
/// (QualificationsChanged), so the order the two arrive in does not matter.
/// </summary>
public static class QualificationCodes
{
    public static Task AddAsync(NpgsqlTransaction tx, string org, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(codes);
        return codes.Count == 0
            ? Task.CompletedTask
            : tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO organisation_qualifications (org, code) SELECT @org, unnest(@codes::text[]) ON CONFLICT DO NOTHING",
                new { org, codes = codes.ToArray() }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>The codes among <paramref name="codes"/> the organisation does not recognise.</summary>
    public static async Task<IReadOnlySet<string>> UnknownAsync(NpgsqlConnection connection, string org, IReadOnlyCollection<string> codes,
        CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Count == 0)
        {
            return new HashSet<string>();
        }

        var known = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT code FROM organisation_qualifications WHERE org = @org AND code = ANY(@codes)",
            new { org, codes = codes.ToArray() }, transaction, cancellationToken: cancellationToken));
        return codes.Except(known, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
    }
}
