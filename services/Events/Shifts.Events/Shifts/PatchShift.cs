using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>
/// PATCH /api/shifts/{shiftId}: a coordinator changes a shift. Capacity never drops below the places
/// held; a shift moved onto another claim of the same person releases that person's place here.
/// </summary>
public static class PatchShift
{
    public static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> Handle(
        Guid shiftId, ShiftPatch patch, Caller caller, Transactions transactions, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var problem = await transactions.RunAsync<ProblemHttpResult?>(async (tx, ct) =>
        {
            var current = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (current is null || !current.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(current.Org))
            {
                return Problem.Forbidden("Only coordinators of the organisation can change shifts.");
            }

            var spec = await SpecAsync(tx, shiftId, ct);
            var changed = spec with
            {
                Title = patch.Title ?? spec.Title,
                StartsAt = patch.StartsAt ?? spec.StartsAt,
                EndsAt = patch.EndsAt ?? spec.EndsAt,
                Capacity = patch.Capacity ?? spec.Capacity,
                Minimum = patch.Minimum ?? spec.Minimum,
                RequiredQualification = patch.RequiredQualification ?? spec.RequiredQualification,
                NewcomerFriendly = patch.NewcomerFriendly ?? spec.NewcomerFriendly,
            };
            var errors = new ValidationErrors();
            changed.Validate(errors);
            if (errors.Any)
            {
                return errors.ToProblem();
            }

            // Only what the patch changes is held to the rules: a shift left as it was stays valid.
            var checkedPart = new ShiftSpec(null, patch.StartsAt is null ? null : changed.StartsAt, patch.EndsAt is null ? null : changed.EndsAt,
                null, null, patch.RequiredQualification, null);
            if (await ShiftRules.RefuseAsync(tx, await EventIdAsync(tx, shiftId, ct), checkedPart, ct) is { } refused)
            {
                return refused;
            }

            if (changed.Capacity < current.Confirmed)
            {
                return Problem.Conflict("capacity-below-confirmed",
                    $"{current.Confirmed} people hold a place; the capacity cannot be lower than that.",
                    new Dictionary<string, object?> { ["confirmed"] = current.Confirmed });
            }

            var moved = changed.StartsAt != spec.StartsAt || changed.EndsAt != spec.EndsAt;
            var released = moved ? await ReleaseConflictsAsync(tx, shiftId, changed, ct) : [];

            const string update = $"""
                UPDATE shifts SET title = @title, starts_at = @startsAt, ends_at = @endsAt, capacity = @capacity, minimum = @minimum,
                    required_qualification = @qualification, newcomer_friendly = @newcomerFriendly, updated_at = now()
                WHERE id = @id;
                UPDATE claims SET during = tstzrange(@startsAt, @endsAt, '[)') WHERE shift_id = @id AND status = '{ClaimStatus.Confirmed}';
                """;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(update, new
            {
                id = shiftId,
                title = changed.Title!.Trim(),
                startsAt = changed.StartsAt!.Value,
                endsAt = changed.EndsAt!.Value,
                capacity = changed.Capacity!.Value,
                minimum = changed.Minimum ?? 0,
                qualification = string.IsNullOrWhiteSpace(changed.RequiredQualification) ? null : changed.RequiredQualification.Trim(),
                newcomerFriendly = changed.NewcomerFriendly ?? false,
            }, tx, cancellationToken: ct));

            var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
            foreach (var (claimId, volunteerId) in released)
            {
                await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, "reschedule-conflict", details!), ct);
            }

            var kept = await ClaimantIdsAsync(tx, shiftId, ct);
            await Outbox.EnqueueAsync(tx, new ShiftChanged(details!, spec.StartsAt!.Value.ToUniversalTime(), spec.EndsAt!.Value.ToUniversalTime(),
                changed.Capacity!.Value, changed.Minimum ?? 0, kept), ct);

            // More places, or places freed by released claims, go to the people waiting.
            await Waitlist.PromoteAsync(tx, shiftId, time.GetUtcNow(), ct);
            return null;
        }, cancellationToken);

        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok((await ShiftViewReader.LoadAsync(db, shiftId, cancellationToken))!);
    }

    /// <summary>Claims on this shift whose new time overlaps another confirmed claim of the same person are released.</summary>
    private static async Task<List<(Guid ClaimId, Guid VolunteerId)>> ReleaseConflictsAsync(NpgsqlTransaction tx, Guid shiftId, ShiftSpec changed, CancellationToken ct)
    {
        const string sql = $"""
            WITH released AS (
                UPDATE claims c SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = 'reschedule-conflict'
                WHERE c.shift_id = @id AND c.status = '{ClaimStatus.Confirmed}'
                  AND EXISTS (
                      SELECT 1 FROM claims o
                      WHERE o.volunteer_id = c.volunteer_id AND o.status = '{ClaimStatus.Confirmed}' AND o.shift_id <> @id
                        AND o.during && tstzrange(@startsAt, @endsAt, '[)'))
                RETURNING c.id, c.volunteer_id
            ), counted AS (
                UPDATE shifts SET confirmed = confirmed - (SELECT count(*) FROM released) WHERE id = @id
            )
            SELECT id, volunteer_id FROM released
            """;
        var released = await tx.Connection!.QueryAsync<(Guid ClaimId, Guid VolunteerId)>(new CommandDefinition(sql, new
        {
            id = shiftId,
            startsAt = changed.StartsAt!.Value.ToUniversalTime(),
            endsAt = changed.EndsAt!.Value.ToUniversalTime(),
        }, tx, cancellationToken: ct));
        return released.ToList();
    }

    private static async Task<ShiftSpec> SpecAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct)
    {
        const string sql = "SELECT title, starts_at, ends_at, capacity, minimum, required_qualification, newcomer_friendly FROM shifts WHERE id = @shiftId";
        var row = await tx.Connection!.QuerySingleAsync<SpecRow>(new CommandDefinition(sql, new { shiftId }, tx, cancellationToken: ct));
        return new ShiftSpec(row.Title, row.StartsAt, row.EndsAt, row.Capacity, row.Minimum, row.RequiredQualification, row.NewcomerFriendly);
    }

    private static Task<Guid> EventIdAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<Guid>(new CommandDefinition("SELECT event_id FROM shifts WHERE id = @shiftId", new { shiftId }, tx, cancellationToken: ct));

    private static async Task<List<Guid>> ClaimantIdsAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct)
    {
        const string sql = $"SELECT volunteer_id FROM claims WHERE shift_id = @shiftId AND status = '{ClaimStatus.Confirmed}'";
        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(sql, new { shiftId }, tx, cancellationToken: ct))).ToList();
    }

    private sealed class SpecRow
    {
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public int Capacity { get; init; }
        public int Minimum { get; init; }
        public string? RequiredQualification { get; init; }
        public bool NewcomerFriendly { get; init; }
    }
}
