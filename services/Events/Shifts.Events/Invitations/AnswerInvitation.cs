using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Access;
using Shifts.Events.Claims;
using Shifts.Events.Coordination;
using Shifts.Events.Staffing;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.ServiceDefaults.Security;

namespace Shifts.Events.Invitations;

public sealed record InvitationAnswer(string? Token);

/// <summary>
/// POST /api/invitations/accept · /decline with the mailed token. Accepting is a claim like any
/// other (Staffing/Places: first come, first served, never beyond the capacity, never overlapping
/// the person's other claims); a late click on a shift that filled meanwhile is 409 shift-full with
/// the shift's id, so the page can offer its waitlist. The invitation row is locked for the answer,
/// so two clicks at once give one claim. A signed-in person answers the same way by the
/// invitation's id, from My shifts.
/// </summary>
public static class AnswerInvitation
{
    public static Task<IResult> Accept(InvitationAnswer? answer, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerAsync(answer, accept: true, transactions, time, cancellationToken);

    public static Task<IResult> Decline(InvitationAnswer? answer, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerAsync(answer, accept: false, transactions, time, cancellationToken);

    /// <summary>
    /// POST /api/invitations/{id}/accept · /decline for the signed-in person: their own invitation
    /// by its id (someone else's is not found), with the same outcomes as the mailed token.
    /// </summary>
    public static Task<IResult> AcceptMine(Guid id, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerMineAsync(id, accept: true, caller, transactions, time, cancellationToken);

    public static Task<IResult> DeclineMine(Guid id, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerMineAsync(id, accept: false, caller, transactions, time, cancellationToken);

    private static Task<IResult> AnswerMineAsync(Guid id, bool accept, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerLockedAsync(
            "SELECT id, shift_id, volunteer_id, state, expires_at, claim_id FROM shift_invitations WHERE id = @id AND volunteer_id = @me FOR UPDATE",
            new { id, me = caller.RequiredId }, accept, transactions, time, cancellationToken);

    private static async Task<IResult> AnswerAsync(InvitationAnswer? answer, bool accept, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(answer?.Token))
        {
            return Problem.Validation("token", "'token' is required: the one from the invitation mail.");
        }

        if (OpaqueTokens.HashOf(answer.Token) is not { } hash)
        {
            return Problem.NotFound("There is no such invitation.");
        }

        return await AnswerLockedAsync(
            "SELECT id, shift_id, volunteer_id, state, expires_at, claim_id FROM shift_invitations WHERE token_hash = @hash FOR UPDATE",
            new { hash }, accept, transactions, time, cancellationToken);
    }

    /// <summary>Answers the invitation <paramref name="find"/> locks (one row or none).</summary>
    private static Task<IResult> AnswerLockedAsync(string find, object parameters, bool accept, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        transactions.RunAsync<IResult>(async (tx, ct) =>
        {
            var now = time.GetUtcNow();
            var connection = tx.Connection!;
            var invitation = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(find, parameters, tx, cancellationToken: ct));
            if (invitation is null)
            {
                return Problem.NotFound("There is no such invitation.");
            }

            switch (invitation.State)
            {
                case "accepted" when accept && await Places.FindConfirmedAsync(tx, invitation.ShiftId, invitation.VolunteerId, ct) is { } held:
                    return TypedResults.Ok(held);
                case "declined" when !accept:
                    return TypedResults.NoContent();
                case "accepted" or "declined":
                    return Problem.Conflict(InvitationsApi.Answered, $"This invitation was {invitation.State} already.");
                case "expired":
                    return Gone();
            }

            if (invitation.ExpiresAt <= now)
            {
                return Gone();
            }

            if (!accept)
            {
                await MarkAsync(tx, invitation.Id, "declined", null, ct);
                return TypedResults.NoContent();
            }

            return await TakeAsync(tx, invitation, now, ct);
        }, cancellationToken);

    private static async Task<IResult> TakeAsync(NpgsqlTransaction tx, Row invitation, DateTimeOffset now, CancellationToken ct)
    {
        var shift = await ShiftState.LoadAsync(tx, invitation.ShiftId, ct);
        if (shift is null)
        {
            return Problem.NotFound("There is no such invitation.");
        }

        if (!await MembershipVersions.HoldMembershipAsync(tx, invitation.VolunteerId, shift.Org, ct))
        {
            return Problem.Conflict(Assignments.NotAMember, "You are no longer a member of the organisation.");
        }

        if (await Places.FindConfirmedAsync(tx, shift.Id, invitation.VolunteerId, ct) is { } held)
        {
            await MarkAsync(tx, invitation.Id, "accepted", held.Id, ct);
            return TypedResults.Ok(held);
        }

        if (!shift.IsBookable(now))
        {
            return Problem.Conflict(ClaimsApi.ShiftClosed, shift.ClosedReason(now));
        }

        var full = new Dictionary<string, object?> { ["waitlistAvailable"] = true, ["shiftId"] = shift.Id };
        if (shift.Confirmed >= shift.Capacity)
        {
            return Problem.Conflict(ClaimsApi.ShiftFull, "Someone was quicker: every place on this shift is taken now. You can join its waitlist.", full);
        }

        switch (await Places.TakeAsync(tx, shift, invitation.VolunteerId, ct))
        {
            case PlaceResult.Taken taken:
                await MarkAsync(tx, invitation.Id, "accepted", taken.Claim.Id, ct);
                await Outbox.EnqueueAsync(tx, new ShiftClaimed(taken.Claim.Id, invitation.VolunteerId, taken.Details), ct);
                return TypedResults.Created($"/api/shifts/{shift.Id}/claims/{taken.Claim.Id}", taken.Claim);
            case PlaceResult.AlreadyHeld already:
                await MarkAsync(tx, invitation.Id, "accepted", already.Claim.Id, ct);
                return TypedResults.Ok(already.Claim);
            case PlaceResult.Overlaps overlap:
                return Problem.Conflict(ClaimsApi.OverlappingClaim, "You already hold a claim whose time overlaps this shift.",
                    new Dictionary<string, object?> { ["conflictingShiftId"] = overlap.ConflictingShiftId });
            default:
                return Problem.Conflict(ClaimsApi.ShiftFull, "Someone was quicker: every place on this shift is taken now. You can join its waitlist.", full);
        }
    }

    private static IResult Gone() =>
        Problem.Create(410, InvitationsApi.Expired, "Invitation expired", "This invitation has lapsed; the shift may still have places on its page.");

    private static Task MarkAsync(NpgsqlTransaction tx, Guid id, string state, Guid? claimId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE shift_invitations SET state = @state, claim_id = @claimId, answered_at = now() WHERE id = @id",
            new { id, state, claimId }, tx, cancellationToken: ct));

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Guid ShiftId { get; init; }
        public Guid VolunteerId { get; init; }
        public string State { get; init; } = "";
        public DateTimeOffset ExpiresAt { get; init; }
        public Guid? ClaimId { get; init; }
    }
}
