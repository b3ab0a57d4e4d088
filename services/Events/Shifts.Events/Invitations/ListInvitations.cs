using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Staffing;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Invitations;

/// <summary>GET /api/shifts/{shiftId}/invitations: each invitation to the shift and its state.</summary>
public static class ListInvitations
{
    public static async Task<Results<Ok<InvitationList>, ProblemHttpResult>> Handle(
        Guid shiftId, Caller caller, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var shift = await ShiftState.LoadAsync(tx, shiftId, cancellationToken);
        if (shift is null || !shift.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such shift.");
        }

        if (!caller.IsCoordinatorOf(shift.Org))
        {
            return Problem.Forbidden("Only the organisation's coordinators see a shift's invitations.");
        }

        return TypedResults.Ok(new InvitationList(await InvitationRows.ForShiftAsync(connection, tx, shiftId, time.GetUtcNow(), cancellationToken)));
    }
}
