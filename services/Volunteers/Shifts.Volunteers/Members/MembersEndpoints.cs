using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Paging;

namespace Shifts.Volunteers.Members;

/// <summary>
/// An organisation's people, under <c>/api/orgs/{org}/members</c>: helpers sign up, coordinators
/// invite (a confirmation link is mailed; only the person's click makes them a member, see
/// Consent), list and read members with contact details, grant qualifications and remove members;
/// admins change roles; anyone leaves. Contact details are for coordinators of the same
/// organisation only, and each read of them is written to contact_access_log in the read's own transaction.
/// </summary>
public static class MembersEndpoints
{
    /// <summary>The problem code when a change would leave the organisation without an admin (409).</summary>
    public const string LastAdmin = "last-admin";

    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orgs/{org}/signup", SignUp.HandleAsync)
            .WithTags("Members")
            .WithSummary("Ask to join an organisation (a confirmation link is mailed)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);

        var members = app.MapGroup("/api/orgs/{org}/members").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Members");
        members.MapPost("/", InviteMember.HandleAsync)
            .WithSummary("Invite a person (a confirmation link is mailed; no membership until they confirm)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        members.MapGet("/", ListMembers.HandleAsync)
            .WithSummary("List or search the organisation's members with contact details (coordinators)")
            .Produces<Page<MemberView>>()
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        members.MapGet("/{volunteerId:guid}", GetMember.HandleAsync)
            .WithSummary("Read one member with contact details (coordinators)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        members.MapPut("/{volunteerId:guid}/role", ChangeRole.HandleAsync)
            .WithSummary("Change a member's role (admins)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, LastAdmin);
        members.MapPut("/{volunteerId:guid}/qualifications", GrantQualifications.HandleAsync)
            .WithSummary("Set a member's qualifications (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        members.MapDelete("/me", Leaving.LeaveAsync)
            .WithSummary("Leave the organisation")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, LastAdmin);
        members.MapDelete("/{volunteerId:guid}", Leaving.RemoveAsync)
            .WithSummary("Remove a member (coordinators; coordinators and admins only by an admin)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, LastAdmin);
        return app;
    }
}
