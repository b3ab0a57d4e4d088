using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>
/// GET /api/orgs/{org}/shifts, the open-shift list: one organisation's bookable shifts in time
/// order, keyset-paged over (starts_at, id) on the partial index shifts_bookable, so a page costs
/// the same wherever it is.
/// </summary>
public static class ListShifts
{
    public const int MaxFilterLength = 50;

    public static async Task<Results<Ok<Page<OpenShiftView>>, ProblemHttpResult>> Handle(
        string org,
        string? open,
        string? from,
        string? to,
        string? kind,
        string? qualification,
        string? newcomerFriendly,
        string? limit,
        string? cursor,
        Caller caller,
        NpgsqlDataSource db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!caller.IsMemberOf(org))
        {
            return Problem.Forbidden("Only members of the organisation can list its shifts.");
        }

        var errors = new ValidationErrors();
        var onlyOpen = errors.Boolean("open", open) ?? true;
        var onlyNewcomer = errors.Boolean("newcomerFriendly", newcomerFriendly);
        var fromInstant = errors.Instant("from", from) ?? time.GetUtcNow();
        var toInstant = errors.Instant("to", to);
        var pageSize = errors.Limit(limit);
        var after = errors.Cursor(cursor, reader => reader.Instant(out var startsAt) && reader.Guid(out var id) ? (startsAt, id) : ((DateTimeOffset StartsAt, Guid Id)?)null)
            ?? (fromInstant, Guid.Empty);
        if (kind is { Length: > MaxFilterLength } || qualification is { Length: > MaxFilterLength })
        {
            errors.Add(kind is { Length: > MaxFilterLength } ? "kind" : "qualification", "The filter value is too long.");
        }

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

        // Only the filters asked for are in the SQL, so the planner keeps to shifts_bookable.
        var sql = new StringBuilder($"""
            SELECT {OpenShiftRow.Columns}
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.org = @org AND s.status = '{ShiftStatus.Open}' AND s.event_status = '{EventStatus.Published}'
              AND (s.starts_at, s.id) > (@afterStart, @afterId)
              AND s.starts_at >= @from
            """);
        var parameters = new DynamicParameters(new
        {
            org,
            afterStart = after.StartsAt.ToUniversalTime(),
            afterId = after.Id,
            from = fromInstant.ToUniversalTime(),
            take = pageSize + 1,
        });
        if (toInstant is { } until)
        {
            sql.Append(" AND s.starts_at < @to");
            parameters.Add("to", until.ToUniversalTime());
        }

        if (onlyOpen)
        {
            sql.Append(" AND s.confirmed < s.capacity");
        }

        if (kind is not null)
        {
            sql.Append(" AND s.kind = @kind");
            parameters.Add("kind", kind);
        }

        if (qualification is not null)
        {
            sql.Append(" AND s.required_qualification = @qualification");
            parameters.Add("qualification", qualification);
        }

        if (onlyNewcomer is { } newcomer)
        {
            sql.Append(" AND s.newcomer_friendly = @newcomer");
            parameters.Add("newcomer", newcomer);
        }

        sql.Append(" ORDER BY s.starts_at, s.id LIMIT @take");
        var rows = (await connection.QueryAsync<OpenShiftRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).ToList();
        return TypedResults.Ok(Page.Of(rows, pageSize,
            row => row.ToView(organisation),
            row => new CursorWriter().Instant(row.StartsAt).Guid(row.Id).ToString()));
    }
}
