using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Access;
using Shifts.Events.Coordination;
using Shifts.Events.Staffing;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Attendance;

public sealed record LeadRequest(Guid? VolunteerId);

/// <summary>A shift's lead: may run the check-in of the shift's event on the day.</summary>
public sealed record ShiftLeadView(Guid ShiftId, Guid VolunteerId, string Name);

/// <summary>
/// Coordinators name a member lead of a shift (PUT, again is the same answer) and take it back
/// (DELETE, 204 whether or not they led it). What a lead may do is in <see cref="ShiftLeads"/>.
/// </summary>
public static class ShiftLeadsApi
{
    public static IEndpointRouteBuilder MapShiftLeads(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/shifts/{shiftId:guid}/lead").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Attendance");
        leads.MapPut("", Name)
            .WithSummary("Name a member lead of the shift: they may check in the people of the shift's event (coordinators)")
            .WithDescription("A shift may have several leads; naming someone again changes nothing. The check-in list names each shift's leads.")
            .Produces<ShiftLeadView>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, Assignments.NotAMember);
        leads.MapDelete("/{volunteerId:guid}", Remove)
            .WithSummary("Take back a person's lead of the shift (coordinators; 204 whether or not they led it)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ShiftLeadView>, ProblemHttpResult>> Name(
        Guid shiftId, LeadRequest? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (request?.VolunteerId is not { } volunteerId || volunteerId == Guid.Empty)
        {
            return Problem.Validation("volunteerId", "'volunteerId' is required: the member to lead the shift.");
        }

        return await transactions.RunAsync<Results<Ok<ShiftLeadView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var (shift, refused) = await AllowedAsync(tx, shiftId, caller, ct);
            if (refused is not null)
            {
                return refused;
            }

            if (!await MembershipVersions.HoldMembershipAsync(tx, volunteerId, shift!.Org, ct))
            {
                return Problem.Conflict(Assignments.NotAMember, "That person is not a member of the organisation.");
            }

            const string sql = """
                INSERT INTO shift_leads (shift_id, volunteer_id, named_by) VALUES (@shiftId, @volunteerId, @by) ON CONFLICT DO NOTHING;
                SELECT coalesce(display_name, '') FROM volunteers WHERE id = @volunteerId;
                """;
            var name = await tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
                sql, new { shiftId, volunteerId, by = caller.RequiredId }, tx, cancellationToken: ct));
            return TypedResults.Ok(new ShiftLeadView(shiftId, volunteerId, name ?? ""));
        }, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(
        Guid shiftId, Guid volunteerId, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            if ((await AllowedAsync(tx, shiftId, caller, ct)).Refused is { } refused)
            {
                return refused;
            }

            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "DELETE FROM shift_leads WHERE shift_id = @shiftId AND volunteer_id = @volunteerId", new { shiftId, volunteerId }, tx, cancellationToken: ct));
            return TypedResults.NoContent();
        }, cancellationToken);

    /// <summary>The shift when the caller coordinates its organisation; else the problem to answer.</summary>
    private static async Task<(ShiftState? Shift, ProblemHttpResult? Refused)> AllowedAsync(NpgsqlTransaction tx, Guid shiftId, Caller caller, CancellationToken ct)
    {
        var shift = await ShiftState.LoadAsync(tx, shiftId, ct);
        if (shift is null || !shift.IsVisibleTo(caller))
        {
            return (null, Problem.NotFound("There is no such shift."));
        }

        return caller.IsCoordinatorOf(shift.Org) ? (shift, null) : (null, Problem.Forbidden("Only the organisation's coordinators name a shift's leads."));
    }
}
