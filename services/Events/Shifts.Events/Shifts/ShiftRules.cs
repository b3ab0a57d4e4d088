using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>
/// What a shift added to an event or changed must fit, beyond its own fields (<see cref="ShiftSpec.Validate"/>):
/// its event's time, give or take <see cref="ShiftSpec.EventMargin"/>, and a required qualification
/// the organisation has (<see cref="QualificationCodes"/>). A field the spec leaves null (or blank)
/// is not checked (a PATCH that does not touch it).
/// </summary>
internal static class ShiftRules
{
    public static async Task<ProblemHttpResult?> RefuseAsync(NpgsqlTransaction tx, Guid eventId, ShiftSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(spec);
        const string sql = "SELECT org, starts_at, ends_at FROM events WHERE id = @eventId";
        var (org, startsAt, endsAt) = await tx.Connection!.QuerySingleAsync<(string, DateTimeOffset, DateTimeOffset)>(
            new CommandDefinition(sql, new { eventId }, tx, cancellationToken: ct));
        var errors = new ValidationErrors();
        spec.ValidateWithin(startsAt, endsAt, errors);
        if (spec.RequiredQualification?.Trim() is { Length: > 0 } code
            && (await QualificationCodes.UnknownAsync(tx.Connection!, org, [code], ct, tx)).Count > 0)
        {
            errors.Add("requiredQualification", UnknownQualification(code));
        }

        return errors.Any ? errors.ToProblem() : null;
    }

    public static string UnknownQualification(string code) =>
        $"The organisation has no qualification '{code}'; add it to the organisation's qualifications first.";
}
