using Shifts.Events.Claims;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Coordination;

/// <summary>The coordinators' tools for filling gaps: one handler per use case, each in the file of its name.</summary>
public static class CoordinationApi
{
    public static IEndpointRouteBuilder MapCoordination(this IEndpointRouteBuilder app)
    {
        var coordination = app.MapGroup("").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Coordination");
        coordination.MapGet("/api/orgs/{org}/gaps", GapList.Handle)
            .WithSummary("List the coming days' shifts that still need people, below their minimum first, most urgent first (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden);
        coordination.MapGet("/api/shifts/{shiftId:guid}/candidates", Candidates.Handle)
            .WithSummary("List the members who could take a shift now, ranked, each with the reasons (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        coordination.MapPost("/api/shifts/{shiftId:guid}/assignments", Assignments.Handle)
            .WithSummary("Put a member on a shift (201 new, 200 held already); beyond its capacity only with exceedCapacity (coordinators)")
            .Produces<Staffing.ClaimView>(StatusCodes.Status200OK)
            .Produces<Staffing.ClaimView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, Assignments.NotAMember, Assignments.QualificationMissing,
                ClaimsApi.OverlappingClaim, ClaimsApi.ShiftFull, ClaimsApi.ShiftClosed);
        coordination.MapDelete("/api/shifts/{shiftId:guid}/claims/{claimId:guid}", ClaimRemoval.Handle)
            .WithSummary("Take a person off a shift, after the self-cancel deadline too; the waitlist moves up (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }
}
