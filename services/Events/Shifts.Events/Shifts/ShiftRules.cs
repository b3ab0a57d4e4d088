using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>
/// What a shift added to an event or changed must fit, beyond its own fields (<see cref="ShiftSpec.Validate"/>):
/// its event's time, give or take <see cref="ShiftSpec.EventMargin"/>. A field the spec leaves
/// null is not checked (a PATCH that does not touch it).
/// </summary>
internal static class ShiftRules
{
    public static async Task<ProblemHttpResult?> RefuseAsync(NpgsqlTransaction tx, Guid eventId, ShiftSpec spec, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (spec.StartsAt is not null || spec.EndsAt is not null)
        {
            const string sql = "SELECT starts_at, ends_at FROM events WHERE id = @eventId";
            var (startsAt, endsAt) = await tx.Connection!.QuerySingleAsync<(DateTimeOffset, DateTimeOffset)>(new CommandDefinition(sql, new { eventId }, tx, cancellationToken: ct));
            spec.ValidateWithin(startsAt, endsAt, errors);
        }

        return errors.Any ? errors.ToProblem() : null;
    }
}
