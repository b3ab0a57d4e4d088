using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>GET /api/shifts/{shiftId}: one shift with its staffing, for the organisation's members.</summary>
public static class GetShift
{
    public static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> Handle(Guid shiftId, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var view = await ShiftViewReader.LoadAsync(db, shiftId, cancellationToken);
        if (view is null || (view.EventStatus == EventStatus.Draft && !caller.IsCoordinatorOf(view.Org)))
        {
            return Problem.NotFound("There is no such shift.");
        }

        // Published shifts are public facts (the event page lists them); their staffing and
        // claimants' names are for the organisation's members.
        return caller.IsMemberOf(view.Org) ? TypedResults.Ok(view) : Problem.Forbidden("Only members of the organisation can see a shift's staffing.");
    }
}
