using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Events;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Plans;

public sealed record PlanEvent(Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocationName, string? LocationAddress, string Status);

public sealed record PlanPerson(Guid VolunteerId, string Name);

public sealed record PlanShift(Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, int Minimum, IReadOnlyList<PlanPerson> People);

/// <summary>An event's plan: its open shifts in time order, each with the people holding a confirmed place (by name).</summary>
public sealed record PlanView(PlanEvent Event, IReadOnlyList<PlanShift> Shifts);

/// <summary>
/// GET /api/events/{eventId}/plan: who works when, for the coordinators' print-out or spreadsheet.
/// Phone numbers are not part of it: the events service holds none (the web app's print asks the
/// volunteers service's audited member contact read for them).
/// </summary>
public static class PlanApi
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/{eventId:guid}/plan", Plan)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("Plans")
            .WithSummary("An event's plan: its open shifts with the people on them (JSON, or CSV with Accept: text/csv)")
            .WithDescription("For the organisation's coordinators. Confirmed claims only; cancelled shifts are left out. Times are local to the "
                + "organisation's time zone. With Accept: text/csv the answer is a CSV file (RFC 4180, UTF-8 with byte order mark, header row "
                + "shift,start,end,name, times as yyyy-MM-dd HH:mm) with one row per person per shift, as the attachment plan-{eventId}.csv.")
            .Produces<PlanView>(StatusCodes.Status200OK, "application/json", CsvDownload.MediaType)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Plan(
        Guid eventId, Caller caller, NpgsqlDataSource db, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await EventRows.FindAsync(connection, eventId, cancellationToken);
        if (row is null || (row.Status == EventStatus.Draft && !caller.IsCoordinatorOf(row.Org)))
        {
            return Problem.NotFound("There is no such event.");
        }

        if (!caller.IsCoordinatorOf(row.Org))
        {
            return Problem.Forbidden("Only coordinators of the organisation can see an event's plan.");
        }

        var plan = await ReadAsync(connection, row, cancellationToken);
        if (!CsvDownload.IsWanted(request))
        {
            return TypedResults.Ok(plan);
        }

        var rows = plan.Shifts.SelectMany(shift => shift.People.Select(person => (IReadOnlyList<string>)
            [shift.Title, CsvDownload.Local(shift.StartsAt), CsvDownload.Local(shift.EndsAt), person.Name]));
        return CsvDownload.File(response, $"plan-{eventId}.csv", ["shift", "start", "end", "name"], rows);
    }

    private static async Task<PlanView> ReadAsync(NpgsqlConnection connection, EventRow row, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.id, s.title, s.starts_at, s.ends_at, s.capacity, s.minimum, c.volunteer_id, v.display_name
            FROM shifts s
            LEFT JOIN claims c ON c.shift_id = s.id AND c.status = 'confirmed'
            LEFT JOIN volunteers v ON v.id = c.volunteer_id
            WHERE s.event_id = @id AND s.status = 'open'
            ORDER BY s.starts_at, s.id, v.display_name, c.volunteer_id
            """;
        var stored = await connection.QueryAsync<StoredRow>(new CommandDefinition(sql, new { id = row.Id }, cancellationToken: cancellationToken));
        var shifts = stored
            .GroupBy(r => r.Id)
            .Select(group =>
            {
                var first = group.First();
                var people = group.Where(r => r.VolunteerId is not null)
                    .Select(r => new PlanPerson(r.VolunteerId!.Value, r.DisplayName ?? ""))
                    .ToList();
                return new PlanShift(first.Id, first.Title, row.Local(first.StartsAt), row.Local(first.EndsAt), first.Capacity, first.Minimum, people);
            })
            .ToList();

        return new PlanView(
            new PlanEvent(row.Id, row.Title, row.Local(row.StartsAt), row.Local(row.EndsAt), row.LocationName, row.LocationAddress, row.Status),
            shifts);
    }

    private sealed class StoredRow
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public int Capacity { get; init; }
        public int Minimum { get; init; }
        public Guid? VolunteerId { get; init; }
        public string? DisplayName { get; init; }
    }
}
