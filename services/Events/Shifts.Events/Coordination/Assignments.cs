using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Access;
using Shifts.Events.Claims;
using Shifts.Events.Staffing;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Coordination;

public sealed record AssignmentRequest(Guid? VolunteerId, bool? ExceedCapacity, string? Reason);

/// <summary>
/// POST /api/shifts/{shiftId}/assignments: a coordinator puts a member on a shift. The place is
/// taken exactly as a claim takes it (Staffing/Places), so the invariants hold the same way: no
/// overlap with the person's other claims (409 overlapping-claim), no place beyond the capacity
/// (409 shift-full) — unless the coordinator says <c>exceedCapacity</c>, which raises the capacity
/// by one in the same transaction and records who did it and why (capacity_overrides). The person
/// is told by mail with the calendar entry (ShiftClaimed with AssignedBy).
/// </summary>
public static class Assignments
{
    public const string NotAMember = "not-a-member";
    public const string QualificationMissing = "qualification-missing";

    public static async Task<IResult> Handle(
        Guid shiftId, AssignmentRequest? request, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request?.VolunteerId is not { } volunteerId || volunteerId == Guid.Empty)
        {
            return Problem.Validation("volunteerId", "'volunteerId' is required: the member to put on the shift.");
        }

        if (request.Reason is { Length: > 500 })
        {
            return Problem.Validation("reason", "'reason' may be at most 500 characters long.");
        }

        var exceed = request.ExceedCapacity == true;
        return await transactions.RunAsync<IResult>(async (tx, ct) =>
        {
            var now = time.GetUtcNow();
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(shift.Org))
            {
                return Problem.Forbidden("Only the organisation's coordinators put people on its shifts.");
            }

            // The membership row, held until commit, keeps a removal or erasure from slipping in between.
            if (!await MembershipVersions.HoldMembershipAsync(tx, volunteerId, shift.Org, ct))
            {
                return Problem.Conflict(NotAMember, "That person is not a member of the organisation.");
            }

            if (await Places.FindConfirmedAsync(tx, shiftId, volunteerId, ct) is { } held)
            {
                return TypedResults.Ok(held);
            }

            if (!shift.IsBookable(now))
            {
                return Problem.Conflict(ClaimsApi.ShiftClosed, shift.ClosedReason(now));
            }

            if (shift.RequiredQualification is { } qualification && !await ClaimsApi.HoldsAsync(tx, volunteerId, shift.Org, qualification, ct))
            {
                return Problem.Conflict(QualificationMissing, $"This shift needs the qualification '{qualification}', which the person does not hold.",
                    new Dictionary<string, object?> { ["qualification"] = qualification });
            }

            await tx.SaveAsync("assign", ct);
            var raised = exceed && await RaiseCapacityIfFullAsync(tx, shiftId, ct);
            switch (await Places.TakeAsync(tx, raised ? shift with { Capacity = shift.Capacity + 1 } : shift, volunteerId, ct))
            {
                case PlaceResult.Taken taken:
                    await tx.Connection!.ExecuteAsync(new CommandDefinition(
                        "UPDATE claims SET assigned_by = @by WHERE id = @id", new { by = caller.RequiredId, id = taken.Claim.Id }, tx, cancellationToken: ct));
                    if (raised)
                    {
                        await RecordOverrideAsync(tx, shiftId, taken.Claim.Id, caller.RequiredId, request.Reason, ct);
                    }

                    await Outbox.EnqueueAsync(tx, new ShiftClaimed(taken.Claim.Id, volunteerId, taken.Details, caller.RequiredId), ct);
                    return TypedResults.Created($"/api/shifts/{shiftId}/claims/{taken.Claim.Id}", taken.Claim);
                case PlaceResult.AlreadyHeld already:
                    await tx.RollbackAsync("assign", ct);
                    return TypedResults.Ok(already.Claim);
                case PlaceResult.Overlaps overlap:
                    await tx.RollbackAsync("assign", ct);
                    return Problem.Conflict(ClaimsApi.OverlappingClaim, "The person already holds a claim whose time overlaps this shift.",
                        new Dictionary<string, object?> { ["conflictingShiftId"] = overlap.ConflictingShiftId });
                default:
                    await tx.RollbackAsync("assign", ct);
                    return Problem.Conflict(ClaimsApi.ShiftFull, "Every place on this shift is taken; put the person on it beyond its capacity (exceedCapacity) or on the waitlist.",
                        new Dictionary<string, object?> { ["waitlistAvailable"] = true });
            }
        }, cancellationToken);
    }

    /// <summary>Raises a full shift's capacity by one (locking its row); false when it has a free place anyway.</summary>
    private static async Task<bool> RaiseCapacityIfFullAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE shifts SET capacity = capacity + 1, updated_at = now() WHERE id = @shiftId AND confirmed >= capacity AND capacity < 10000",
            new { shiftId }, tx, cancellationToken: ct)) == 1;

    private static Task RecordOverrideAsync(NpgsqlTransaction tx, Guid shiftId, Guid claimId, Guid by, string? reason, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO capacity_overrides (id, shift_id, claim_id, assigned_by, reason, capacity)
            SELECT @id, @shiftId, @claimId, @by, @reason, capacity FROM shifts WHERE id = @shiftId
            """, new { id = Guid.CreateVersion7(), shiftId, claimId, by, reason }, tx, cancellationToken: ct));
}
