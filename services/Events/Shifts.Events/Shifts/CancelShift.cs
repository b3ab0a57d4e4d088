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
/// POST /api/shifts/{shiftId}/cancel: a coordinator cancels a shift; every place and the waitlist
/// are released and each person told. Cancelling twice is harmless.
/// </summary>
public static class CancelShift
{
    public static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> Handle(
        Guid shiftId, CancelRequest? request, Caller caller, Transactions transactions, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (request?.Reason is { Length: > 1000 })
        {
            return Problem.Validation("reason", "'reason' may be at most 1000 characters long.");
        }

        var problem = await transactions.RunAsync<ProblemHttpResult?>(async (tx, ct) =>
        {
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(shift.Org))
            {
                return Problem.Forbidden("Only coordinators of the organisation can cancel shifts.");
            }

            if (shift.Status == ShiftStatus.Cancelled)
            {
                return null;
            }

            const string sql = $"""
                WITH released AS (
                    UPDATE claims SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = 'shift-cancelled'
                    WHERE shift_id = @shiftId AND status = '{ClaimStatus.Confirmed}'
                    RETURNING id, volunteer_id
                ), cleared AS (
                    DELETE FROM waitlist_entries WHERE shift_id = @shiftId
                ), closed AS (
                    UPDATE shifts SET status = '{ShiftStatus.Cancelled}', confirmed = 0, waitlisted = 0, updated_at = now() WHERE id = @shiftId
                )
                SELECT id, volunteer_id FROM released
                """;
            var released = (await tx.Connection!.QueryAsync<(Guid ClaimId, Guid VolunteerId)>(
                new CommandDefinition(sql, new { shiftId }, tx, cancellationToken: ct))).ToList();

            var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
            foreach (var (claimId, volunteerId) in released)
            {
                await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, "shift-cancelled", details!), ct);
            }

            await Outbox.EnqueueAsync(tx, new ShiftCancelled(details!, released.Select(r => r.VolunteerId).ToList()), ct);
            return null;
        }, cancellationToken);

        return problem ?? (Results<Ok<ShiftView>, ProblemHttpResult>)TypedResults.Ok((await ShiftViewReader.LoadAsync(db, shiftId, cancellationToken))!);
    }
}
