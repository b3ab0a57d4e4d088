using System.Globalization;
using Dapper;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.Events.Plans;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Shifts.Events.Volunteers;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Attendance;

/// <summary>One person's hours in a range: shifts worked, their planned hours, and (for coordinators only) the no-shows.</summary>
public sealed record HoursItem(Guid VolunteerId, string Name, int Shifts, decimal Hours, int? NoShows);

public sealed record HoursView(DateOnly From, DateOnly To, IReadOnlyList<HoursItem> Items);

/// <summary>
/// GET /api/orgs/{org}/hours: worked hours per person, kept simple: a confirmed claim on a shift that
/// ended within the range counts the shift's planned hours (its end minus its start) unless the person
/// was marked as a no-show, which counts nothing. Check-in times do not change the hours. The range is
/// of local dates in the organisation's time zone, both included, by the shift's end.
/// </summary>
public static class HoursApi
{
    public static IEndpointRouteBuilder MapHours(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orgs/{org}/hours", Hours)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("Attendance")
            .WithSummary("Worked hours per person in a range of dates (JSON, or CSV with Accept: text/csv)")
            .WithDescription("from and to are local dates (yyyy-MM-dd) in the organisation's time zone, both included; the default is the current month. "
                + "A confirmed claim on a shift that ended in the range counts the shift's planned hours, a no-show counts none. Coordinators get "
                + "everyone with such claims, a helper only their own row (noShows null). With Accept: text/csv the answer is a CSV file (RFC 4180, "
                + "UTF-8 with byte order mark, header row volunteerId,name,shifts,hours,noShows) as the attachment hours-{org}-{from}-{to}.csv.")
            .Produces<HoursView>(StatusCodes.Status200OK, "application/json", CsvDownload.MediaType)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Hours(
        string org, string? from, string? to, Caller caller, NpgsqlDataSource db, TimeProvider time,
        HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!caller.IsMemberOf(org))
        {
            return Problem.Forbidden("Only members of the organisation can see its hours.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (await Organisation.FindAsync(connection, org, cancellationToken) is not { } organisation)
        {
            return Problem.NotFound($"There is no organisation '{org}'.");
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(organisation.Local(now).DateTime);
        var errors = new ValidationErrors();
        var first = Date(errors, "from", from) ?? new DateOnly(today.Year, today.Month, 1);
        var last = Date(errors, "to", to) ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        if (!errors.Any && last < first)
        {
            errors.Add("to", "to must not be before from.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var coordinator = caller.IsCoordinatorOf(org);
        var items = await ReadAsync(connection, org, Start(first, organisation.TimeZone), Start(last.AddDays(1), organisation.TimeZone), now,
            coordinator ? null : caller.RequiredId, cancellationToken);
        if (!coordinator)
        {
            var mine = items.SingleOrDefault() ?? new HoursItem(caller.RequiredId, await NameAsync(connection, caller, cancellationToken), 0, 0, null);
            items = [mine with { NoShows = null }];
        }

        var view = new HoursView(first, last, items);
        if (!CsvDownload.IsWanted(request))
        {
            return TypedResults.Ok(view);
        }

        var rows = items.Select(item => (IReadOnlyList<string>)
        [
            item.VolunteerId.ToString(), item.Name, item.Shifts.ToString(CultureInfo.InvariantCulture),
            item.Hours.ToString("0.##", CultureInfo.InvariantCulture), item.NoShows?.ToString(CultureInfo.InvariantCulture) ?? "",
        ]);
        return CsvDownload.File(response, $"hours-{org}-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.csv", ["volunteerId", "name", "shifts", "hours", "noShows"], rows);
    }

    private static DateOnly? Date(ValidationErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, $"{field} must be a date as yyyy-MM-dd.");
        return null;
    }

    /// <summary>The instant a local date begins in the zone (where midnight is skipped by a clock change, the first local time after it).</summary>
    private static DateTimeOffset Start(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    private static async Task<List<HoursItem>> ReadAsync(
        NpgsqlConnection connection, string org, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, Guid? only, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT c.volunteer_id, coalesce(v.display_name, '') AS name,
                   count(*) FILTER (WHERE NOT c.no_show)::int AS shifts,
                   coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at)) FILTER (WHERE NOT c.no_show), 0)::numeric AS seconds,
                   count(*) FILTER (WHERE c.no_show)::int AS no_shows
            FROM claims c
            JOIN shifts s ON s.id = c.shift_id
            LEFT JOIN volunteers v ON v.id = c.volunteer_id
            WHERE s.org = @org AND c.status = 'confirmed' AND s.ends_at >= @start AND s.ends_at < @end AND s.ends_at <= @now
              {(only is null ? "" : "AND c.volunteer_id = @only")}
            GROUP BY c.volunteer_id, v.display_name
            ORDER BY name, c.volunteer_id
            """;
        var rows = await connection.QueryAsync<StoredHours>(new CommandDefinition(sql, new { org, start, end, now, only }, cancellationToken: cancellationToken));
        return rows.Select(r => new HoursItem(r.VolunteerId, r.Name, r.Shifts, Math.Round(r.Seconds / 3600m, 2), r.NoShows)).ToList();
    }

    private static async Task<string> NameAsync(NpgsqlConnection connection, Caller caller, CancellationToken cancellationToken) =>
        await VolunteerNames.OfAsync(connection, caller.RequiredId, cancellationToken) ?? caller.Name ?? "";

    private sealed class StoredHours
    {
        public Guid VolunteerId { get; init; }
        public string Name { get; init; } = "";
        public int Shifts { get; init; }
        public decimal Seconds { get; init; }
        public int NoShows { get; init; }
    }
}
