using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>POST /api/events/{eventId}/shifts: a coordinator adds a shift to an event that is not cancelled, within its time (<see cref="ShiftRules"/>).</summary>
public static class CreateShift
{
    public static async Task<Results<Created<ShiftView>, ProblemHttpResult>> Handle(
        Guid eventId, ShiftSpec spec, Caller caller, Transactions transactions, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        spec.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await transactions.RunAsync<(Guid? Id, ProblemHttpResult? Problem)>(async (tx, ct) =>
        {
            var facts = await EventFactsAsync(tx, eventId, ct);
            if (facts is null || (!caller.IsCoordinatorOf(facts.Org) && facts.Status == EventStatus.Draft))
            {
                return (null, Problem.NotFound("There is no such event."));
            }

            if (!caller.IsCoordinatorOf(facts.Org))
            {
                return (null, Problem.Forbidden("Only coordinators of the organisation can add shifts."));
            }

            if (facts.Status == EventStatus.Cancelled)
            {
                return (null, Problem.Conflict("event-cancelled", "The event is cancelled."));
            }

            if (await ShiftRules.RefuseAsync(tx, eventId, spec, ct) is { } refused)
            {
                return (null, refused);
            }

            return (await ShiftRows.InsertAsync(tx, facts, spec, ct), null);
        }, cancellationToken);

        if (result.Problem is not null)
        {
            return result.Problem;
        }

        var view = await ShiftViewReader.LoadAsync(db, result.Id!.Value, cancellationToken);
        return TypedResults.Created($"/api/shifts/{result.Id}", view!);
    }

    private static async Task<EventFacts?> EventFactsAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken ct)
    {
        // FOR SHARE: the event cannot be cancelled or rescheduled while a shift is being added to it.
        const string sql = """
            SELECT id AS EventId, org AS Org, title AS Title, kind AS Kind, status AS Status, location_name AS LocationName, location_address AS LocationAddress
            FROM events WHERE id = @eventId FOR SHARE
            """;
        return await tx.Connection!.QuerySingleOrDefaultAsync<EventFacts>(new CommandDefinition(sql, new { eventId }, tx, cancellationToken: ct));
    }
}
