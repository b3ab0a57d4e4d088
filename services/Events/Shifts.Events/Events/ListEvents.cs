using Shifts.Events.Statuses;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>
/// GET /api/orgs/{org}/events: an organisation's events in time order, keyset-paged over
/// (starts_at, id) on the index events_org_starts. Everyone sees published and postponed events;
/// the organisation's coordinators also see drafts and cancelled ones. "from" keeps events that
/// are still running.
/// </summary>
public static class ListEvents
{
    public static async Task<Results<Ok<Page<EventSummary>>, ProblemHttpResult>> Handle(
        string org,
        string? from,
        string? to,
        string? kind,
        string? limit,
        string? cursor,
        Caller caller,
        NpgsqlDataSource db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fromInstant = errors.Instant("from", from, EventRules.Earliest, EventRules.Latest) ?? time.GetUtcNow();
        var toInstant = errors.Instant("to", to, EventRules.Earliest, EventRules.Latest);
        var pageSize = errors.Limit(limit);
        string? kindCode = null;
        if (kind is not null)
        {
            if (EventKinds.TryParse(kind, out var parsed))
            {
                kindCode = EventKinds.Code(parsed);
            }
            else
            {
                errors.Add("kind", $"'kind' must be one of: {EventKinds.AllCodes}.");
            }
        }

        var after = errors.Cursor(cursor, reader => reader.Instant(out var startsAt) && reader.Guid(out var id) ? (startsAt, id) : ((DateTimeOffset StartsAt, Guid Id)?)null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var organisation = await Organisation.FindAsync(connection, org, cancellationToken);
        if (organisation is null)
        {
            return Problem.NotFound($"There is no organisation '{org}'.");
        }

        // Events last at most MaxDuration, so "still running at 'from'" stays a range on starts_at.
        const string sql = $"""
            SELECT id, series_id, title, kind, location_name, location_address, starts_at, ends_at, status, status_reason
            FROM events
            WHERE org = @org
              AND starts_at >= @earliest AND ends_at > @from
              AND (@to::timestamptz IS NULL OR starts_at < @to)
              AND (@kind::text IS NULL OR kind = @kind)
              AND (@everything OR status IN ('{EventStatus.Published}', '{EventStatus.Postponed}'))
              AND (@afterStart::timestamptz IS NULL OR (starts_at, id) > (@afterStart, @afterId))
            ORDER BY starts_at, id
            LIMIT @take
            """;
        var rows = (await connection.QueryAsync<EventListRow>(new CommandDefinition(sql, new
        {
            org,
            earliest = (fromInstant - EventRules.MaxDuration).ToUniversalTime(),
            from = fromInstant.ToUniversalTime(),
            to = toInstant?.ToUniversalTime(),
            kind = kindCode,
            everything = caller.IsCoordinatorOf(org),
            afterStart = after?.StartsAt.ToUniversalTime(),
            afterId = after?.Id ?? Guid.Empty,
            take = pageSize + 1,
        }, cancellationToken: cancellationToken))).ToList();

        return TypedResults.Ok(Page.Of(rows, pageSize,
            row => new EventSummary(row.Id, row.SeriesId, row.Title, row.Kind, new EventLocation(row.LocationName, row.LocationAddress),
                organisation.Local(row.StartsAt), organisation.Local(row.EndsAt), row.Status, row.StatusReason),
            row => new CursorWriter().Instant(row.StartsAt).Guid(row.Id).ToString()));
    }

    private sealed class EventListRow
    {
        public Guid Id { get; init; }
        public Guid? SeriesId { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public string LocationName { get; init; } = "";
        public string? LocationAddress { get; init; }
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string Status { get; init; } = "";
        public string? StatusReason { get; init; }
    }
}
