using Shifts.Events.Statuses;
using Shifts.Events.Staffing;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Access;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Claims;

/// <summary>Claiming a shift, giving it back, and waiting for a place (docs/api.md; "Events, shifts and claims").</summary>
public static class ClaimsApi
{
    public const string ShiftFull = "shift-full";
    public const string OverlappingClaim = "overlapping-claim";
    public const string ShiftClosed = "shift-closed";
    public const string QualificationRequired = "qualification-required";
    public const string CancellationDeadlinePassed = "cancellation-deadline-passed";
    public const string AlreadyClaimed = "already-claimed";
    public const string ShiftNotFull = "shift-not-full";

    /// <summary>An Idempotency-Key sent again with a different request (answered by <see cref="IdempotencyKeys"/>).</summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";

    public static IEndpointRouteBuilder MapClaims(this IEndpointRouteBuilder app)
    {
        var shifts = app.MapGroup("/api/shifts/{shiftId:guid}").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Claims");
        shifts.MapPost("/claims", Claim)
            .WithSummary("Claim a place on a shift (201 new, 200 held already or a repeated Idempotency-Key)")
            .Produces<ClaimView>(StatusCodes.Status200OK)
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, QualificationRequired)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, ShiftFull, OverlappingClaim, ShiftClosed, IdempotencyKeyReused);
        shifts.MapDelete("/claims/mine", CancelMine)
            .WithSummary("Give one's place on a shift back, before the organisation's cancellation deadline")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, CancellationDeadlinePassed);
        shifts.MapPost("/waitlist", JoinWaitlist)
            .WithSummary("Join a full shift's waitlist (201 joined, 200 waiting already)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, ShiftClosed, AlreadyClaimed, ShiftNotFull);
        return app;
    }

    private static async Task<IResult> Claim(
        Guid shiftId,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        Caller caller,
        Transactions transactions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > 200 })
        {
            return Problem.Validation("Idempotency-Key", "The Idempotency-Key header must be 1 to 200 characters long.");
        }

        var request = $"claim:{shiftId}";
        var outcome = await transactions.RunAsync(async (tx, ct) =>
        {
            if (idempotencyKey is not null)
            {
                var stored = await IdempotencyKeys.ReserveAsync(tx, caller.RequiredId, idempotencyKey, request, ct);
                if (stored is not null)
                {
                    return stored;
                }
            }

            var result = await ClaimAsync(tx, caller, shiftId, time.GetUtcNow(), ct);
            if (idempotencyKey is not null)
            {
                await IdempotencyKeys.StoreAsync(tx, caller.RequiredId, idempotencyKey, result, ct);
            }

            return result;
        }, cancellationToken);

        return ToResult(outcome);
    }

    private static async Task<ClaimOutcome> ClaimAsync(NpgsqlTransaction tx, Caller caller, Guid shiftId, DateTimeOffset now, CancellationToken ct)
    {
        var volunteerId = caller.RequiredId;
        var context = await ClaimContext.LoadAsync(tx, shiftId, volunteerId, ct);
        var shift = context.Shift;
        if (shift is null || !shift.IsVisibleTo(caller))
        {
            return new ClaimOutcome(404, null, ProblemCodes.NotFound, "There is no such shift.");
        }

        // The request's caller was read before this transaction: the membership row, held until
        // commit, keeps an erasure or removal from slipping in between.
        if (!caller.IsMemberOf(shift.Org) || !context.MembershipHeld)
        {
            return new ClaimOutcome(403, null, ProblemCodes.Forbidden, "Only members of the organisation can claim its shifts.");
        }

        if (context.Held is { } held)
        {
            return new ClaimOutcome(200, held);
        }

        if (!shift.IsBookable(now))
        {
            return new ClaimOutcome(409, null, ShiftClosed, shift.ClosedReason(now));
        }

        if (shift.RequiredQualification is { } qualification && !context.HoldsQualification)
        {
            return new ClaimOutcome(403, null, QualificationRequired, $"This shift needs the qualification '{qualification}'.",
                new() { ["qualification"] = qualification });
        }

        // Full as this transaction first saw it: answered at once. Trying the conditional UPDATE
        // would first queue for the shift row's lock behind every claim in flight (on a hot shift,
        // hundreds) only to find no place left. A place given back a moment ago may be missed, as
        // if the claim had come a moment earlier; overbooking stays impossible either way, since
        // the UPDATE in TakeAsync remains the only way to a place.
        if (shift.Confirmed >= shift.Capacity)
        {
            return FullOutcome();
        }

        switch (await Places.TakeAsync(tx, shift, volunteerId, ct))
        {
            case PlaceResult.Taken taken:
                await Outbox.EnqueueAsync(tx, new ShiftClaimed(taken.Claim.Id, volunteerId, taken.Details), ct);
                return new ClaimOutcome(201, taken.Claim);
            case PlaceResult.AlreadyHeld already:
                return new ClaimOutcome(200, already.Claim);
            case PlaceResult.Overlaps overlap:
                return new ClaimOutcome(409, null, OverlappingClaim, "You already hold a claim whose time overlaps this shift.",
                    new() { ["conflictingShiftId"] = overlap.ConflictingShiftId });
            default:
                // The place may be gone because the event was postponed or cancelled while this
                // claim waited for the shift's lock: then the shift is closed, not full.
                var current = await ShiftState.LoadAsync(tx, shiftId, ct);
                if (current is not null && !current.IsBookable(now))
                {
                    return new ClaimOutcome(409, null, ShiftClosed, current.ClosedReason(now));
                }

                return FullOutcome();
        }
    }

    private static ClaimOutcome FullOutcome() =>
        new(409, null, ShiftFull, "Every place on this shift is taken; you can join the waitlist.", new() { ["waitlistAvailable"] = true });

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelMine(
        Guid shiftId, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var problem = await transactions.RunAsync<ProblemHttpResult?>(async (tx, ct) =>
        {
            var now = time.GetUtcNow();
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsMemberOf(shift.Org))
            {
                return Problem.Forbidden("Only members of the organisation hold claims on its shifts.");
            }

            if (await Places.FindConfirmedAsync(tx, shiftId, caller.RequiredId, ct) is null)
            {
                return Problem.NotFound("You hold no claim on this shift.");
            }

            var deadline = shift.StartsAt - shift.CancellationDeadline;
            if (now >= deadline)
            {
                return Problem.Conflict(CancellationDeadlinePassed,
                    "It is too late to give this shift back yourself; please talk to a coordinator.",
                    new Dictionary<string, object?> { ["deadline"] = deadline });
            }

            var claimId = await Places.ReleaseAsync(tx, shiftId, caller.RequiredId, "self", ct);
            var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
            await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId!.Value, caller.RequiredId, "self", details!), ct);
            await Waitlist.PromoteAsync(tx, shiftId, now, ct);
            return null;
        }, cancellationToken);

        return problem is null ? TypedResults.NoContent() : problem;
    }

    private static async Task<Results<Created<WaitlistPlace>, Ok<WaitlistPlace>, ProblemHttpResult>> JoinWaitlist(
        Guid shiftId, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        return await transactions.RunAsync<Results<Created<WaitlistPlace>, Ok<WaitlistPlace>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var now = time.GetUtcNow();
            // The shift row's lock orders joins with cancellations that promote.
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsMemberOf(shift.Org) || !await MembershipVersions.HoldMembershipAsync(tx, caller.RequiredId, shift.Org, ct))
            {
                return Problem.Forbidden("Only members of the organisation can wait for its shifts.");
            }

            if (!shift.IsBookable(now))
            {
                return Problem.Conflict(ShiftClosed, shift.ClosedReason(now));
            }

            if (await Places.FindConfirmedAsync(tx, shiftId, caller.RequiredId, ct) is not null)
            {
                return Problem.Conflict(AlreadyClaimed, "You already hold a place on this shift.");
            }

            if (shift.Confirmed < shift.Capacity)
            {
                return Problem.Conflict(ShiftNotFull, "This shift has free places; claim one instead.");
            }

            const string join = """
                WITH joined AS (
                    INSERT INTO waitlist_entries (shift_id, volunteer_id) VALUES (@shiftId, @volunteerId)
                    ON CONFLICT DO NOTHING RETURNING 1
                )
                UPDATE shifts SET waitlisted = waitlisted + 1 WHERE id = @shiftId AND EXISTS (SELECT 1 FROM joined)
                """;
            var joinedRows = await tx.Connection!.ExecuteAsync(new CommandDefinition(join, new { shiftId, volunteerId = caller.RequiredId }, tx, cancellationToken: ct));

            var position = await PositionAsync(tx, shiftId, caller.RequiredId, ct);
            var place = new WaitlistPlace(shiftId, position);
            if (joinedRows == 0)
            {
                return TypedResults.Ok(place);
            }

            var details = await ShiftDetailsReader.ReadAsync(tx, shiftId, ct);
            await Outbox.EnqueueAsync(tx, new WaitlistJoined(caller.RequiredId, position, details!), ct);
            return TypedResults.Created($"/api/shifts/{shiftId}/waitlist", place);
        }, cancellationToken);
    }

    internal static async Task<int> PositionAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, CancellationToken ct)
    {
        const string sql = """
            SELECT count(*) FROM waitlist_entries w
            WHERE w.shift_id = @shiftId
              AND w.position <= (SELECT position FROM waitlist_entries WHERE shift_id = @shiftId AND volunteer_id = @volunteerId)
            """;
        return (int)await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { shiftId, volunteerId }, tx, cancellationToken: ct));
    }

    /// <summary>Whether the volunteer holds the qualification in the organisation (the replica fed by QualificationsChanged); claims and assignments ask it.</summary>
    internal static Task<bool> HoldsAsync(NpgsqlTransaction tx, Guid volunteerId, string org, string code, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM qualifications WHERE volunteer_id = @volunteerId AND org = @org AND code = @code)",
            new { volunteerId, org, code }, tx, cancellationToken: ct));

    private static IResult ToResult(ClaimOutcome outcome) => outcome switch
    {
        { Claim: { } claim, Status: 201 } => TypedResults.Created($"/api/shifts/{claim.ShiftId}/claims/mine", claim),
        { Claim: { } claim } => TypedResults.Ok(claim),
        _ => Problem.Create(outcome.Status, outcome.Code!, outcome.Status == 404 ? "Not found" : outcome.Status == 403 ? "Forbidden" : "Conflict",
            outcome.Detail!, outcome.Extensions?.ToDictionary(e => e.Key, e => e.Value is JsonElement json ? (object?)json : e.Value)),
    };
}
