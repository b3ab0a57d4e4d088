using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;

namespace Shifts.Events.Shifts;

/// <summary>The shifts' routes: one handler per use case, each in the file of its name.</summary>
public static class ShiftsApi
{
    public static IEndpointRouteBuilder MapShifts(this IEndpointRouteBuilder app)
    {
        var shifts = app.MapGroup("").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Shifts");
        shifts.MapPost("/api/events/{eventId:guid}/shifts", CreateShift.Handle)
            .WithSummary("Add a shift to an event that is not cancelled (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled");
        shifts.MapGet("/api/shifts/{shiftId:guid}", GetShift.Handle)
            .WithSummary("Get one shift with its staffing and claimants (members)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        shifts.MapPatch("/api/shifts/{shiftId:guid}", PatchShift.Handle)
            .WithSummary("Change a shift; a move releases the places of people it would make overlap (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "capacity-below-confirmed");
        shifts.MapPost("/api/shifts/{shiftId:guid}/cancel", CancelShift.Handle)
            .WithSummary("Cancel a shift: every place and the waitlist are released and each person told (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        shifts.MapGet("/api/orgs/{org}/shifts", ListShifts.Handle)
            .WithSummary("List an organisation's bookable shifts in time order, paged (members)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }
}
