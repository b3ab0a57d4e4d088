using Shifts.Web.Api;

namespace Shifts.Web.Components.Invitations;

/// <summary>What became of an answer to an invitation, as the page says it.</summary>
public enum InvitationResult
{
    /// <summary>Not answered yet: the page asks (the mail's link alone answers nothing).</summary>
    Ask,
    Taken,
    Declined,
    Full,
    Overlap,
    Expired,
    Answered,
    NotFound,
    Failed,
}

/// <summary>The result of an answer, with what its words link to.</summary>
public sealed record InvitationOutcome(InvitationResult Result, Guid? ShiftId = null, ApiProblem? Problem = null)
{
    public static InvitationOutcome Ask { get; } = new(InvitationResult.Ask);

    /// <summary>The API's answer to accept (<paramref name="accept"/>) or decline, in the page's terms.</summary>
    public static InvitationOutcome From(ApiResult<bool> answer, bool accept)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Problem is not { } problem)
        {
            return new(accept ? InvitationResult.Taken : InvitationResult.Declined);
        }

        return (problem.Status, problem.Code) switch
        {
            (409, "shift-full") => new(InvitationResult.Full, problem.GuidMember("shiftId"), problem),
            (409, "overlapping-claim") => new(InvitationResult.Overlap, problem.GuidMember("conflictingShiftId"), problem),
            (409, "invitation-answered") => new(InvitationResult.Answered, Problem: problem),
            (410, _) or (_, "invitation-expired") => new(InvitationResult.Expired, Problem: problem),
            (404, _) or (_, "invitation-not-found") => new(InvitationResult.NotFound, Problem: problem),
            _ => new(InvitationResult.Failed, Problem: problem),
        };
    }
}
