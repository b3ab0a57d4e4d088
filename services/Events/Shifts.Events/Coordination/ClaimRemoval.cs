using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Coordination;

public sealed record RemovalRequest(string? Reason);

/// <summary>
/// DELETE /api/shifts/{shiftId}/claims/{claimId}: a coordinator takes a person off a shift, after
/// the self-cancel deadline too. The place is given back as a self-cancellation gives it
/// (cancel reason "coordinator"), the person is told (ClaimCancelled), and the first on the
/// waitlist moves up in the same transaction. The reason may come as the body's <c>reason</c> or
/// as the query's (a DELETE with a body is not something every client sends).
/// </summary>
public static class ClaimRemoval
{
    public const int MaxReasonLength = 500;

    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid shiftId, Guid claimId, [FromQuery] string? reason, [FromBody] RemovalRequest? request,
        Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var note = request?.Reason ?? reason;
        if (note is { Length: > MaxReasonLength })
        {
            return Problem.Validation("reason", $"'reason' may be at most {MaxReasonLength} characters long.");
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
                return Problem.Forbidden("Only the organisation's coordinators take people off its shifts.");
            }

            var volunteerId = await tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                $"SELECT volunteer_id FROM claims WHERE id = @claimId AND shift_id = @shiftId AND status = '{ClaimStatus.Confirmed}'",
                new { claimId, shiftId }, tx, cancellationToken: ct));
            if (volunteerId is not { } person)
            {
                return Problem.NotFound("There is no such confirmed claim on this shift.");
            }

            var released = await Places.ReleaseAsync(tx, shiftId, person, "coordinator", ct);
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE claims SET removal_note = @note WHERE id = @claimId", new { note, claimId }, tx, cancellationToken: ct));
            var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
            await Outbox.EnqueueAsync(tx, new ClaimCancelled(released!.Value, person, "coordinator", details!), ct);
            await Waitlist.PromoteAsync(tx, shiftId, time.GetUtcNow(), ct);
            return null;
        }, cancellationToken);

        return problem is null ? TypedResults.NoContent() : problem;
    }
}
