using Shifts.Events.Claims;
using Shifts.Events.Coordination;
using Shifts.Events.Staffing;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;

namespace Shifts.Events.Invitations;

/// <summary>
/// A coordinator asks people to take a shift; each gets a mail with a one-click answer. The routes,
/// one handler per use case in the file of its name (SendInvitations, ListInvitations, AnswerInvitation).
/// </summary>
public static class InvitationsApi
{
    public const string Expired = "invitation-expired";
    public const string Answered = "invitation-answered";

    public static IEndpointRouteBuilder MapInvitations(this IEndpointRouteBuilder app)
    {
        var coordinators = app.MapGroup("/api/shifts/{shiftId:guid}/invitations").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Invitations");
        coordinators.MapPost("", SendInvitations.Handle)
            .WithSummary("Invite members to a shift: each gets a mail with a one-click answer (coordinators)")
            .Produces<InvitationBatch>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, ClaimsApi.ShiftClosed);
        coordinators.MapGet("", ListInvitations.Handle)
            .WithSummary("List a shift's invitations with their state: sent, accepted, declined or expired (coordinators)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);

        // The mailed token is the credential: no sign-in needed (the person may be signed out, or on another device).
        var answers = app.MapGroup("/api/invitations").AllowAnonymous().WithTags("Invitations");
        answers.MapPost("/accept", AnswerInvitation.Accept)
            .WithSummary("Accept an invitation with its mailed token: a claim with every invariant (201, 200 when taken already)")
            .Produces<ClaimView>(StatusCodes.Status200OK)
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, ClaimsApi.ShiftFull, ClaimsApi.OverlappingClaim, ClaimsApi.ShiftClosed, Answered, Assignments.NotAMember)
            .ProducesProblems(StatusCodes.Status410Gone, Expired);
        answers.MapPost("/decline", AnswerInvitation.Decline)
            .WithSummary("Decline an invitation with its mailed token (204)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, Answered)
            .ProducesProblems(StatusCodes.Status410Gone, Expired);

        // From My shifts: the signed-in person answers their own invitation by its id.
        var mine = app.MapGroup("/api/invitations/{id:guid}").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Invitations");
        mine.MapPost("/accept", AnswerInvitation.AcceptMine)
            .WithSummary("Accept one of the caller's own invitations by its id: a claim with every invariant (201, 200 when taken already)")
            .WithDescription("Someone else's invitation is not found (404).")
            .Produces<ClaimView>(StatusCodes.Status200OK)
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, ClaimsApi.ShiftFull, ClaimsApi.OverlappingClaim, ClaimsApi.ShiftClosed, Answered, Assignments.NotAMember)
            .ProducesProblems(StatusCodes.Status410Gone, Expired);
        mine.MapPost("/decline", AnswerInvitation.DeclineMine)
            .WithSummary("Decline one of the caller's own invitations by its id (204)")
            .WithDescription("Someone else's invitation is not found (404).")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, Answered)
            .ProducesProblems(StatusCodes.Status410Gone, Expired);
        return app;
    }
}

/// <summary>An invitation as the coordinator sees it.</summary>
public sealed record InvitationView(Guid Id, Guid VolunteerId, string Name, string State, string? Message, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt, Guid InvitedBy, DateTimeOffset? AnsweredAt);

public sealed record SkippedInvitation(Guid VolunteerId, string Reason);

public sealed record InvitationBatch(IReadOnlyList<InvitationView> Items, IReadOnlyList<SkippedInvitation> Skipped);

public sealed record InvitationList(IReadOnlyList<InvitationView> Items);
