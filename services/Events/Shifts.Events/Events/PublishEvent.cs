using Shifts.Events.Statuses;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

public static class PublishEvent
{
    /// <summary>
    /// Makes a draft visible and its shifts claimable. <c>?series=true</c> publishes every draft
    /// occurrence of the event's series at once (one EventPublished each). Publishing twice is harmless.
    /// </summary>
    public static async Task<EventAnswer> Handle(
        Guid eventId, string? series, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var wholeSeries = false;
        if (series is not null && !bool.TryParse(series, out wholeSeries))
        {
            return Problem.Validation("series", "'series' must be true or false.");
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (EventRules.Deny(row, caller, "publish") is { } denied)
            {
                return denied;
            }

            if (wholeSeries && row!.SeriesId is { } seriesId)
            {
                foreach (var draft in await SeriesDraftsAsync(tx, seriesId, ct))
                {
                    await PublishAsync(tx, draft, ct);
                }
            }
            else
            {
                switch (row!.Status)
                {
                    case EventStatus.Cancelled:
                        return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be published again. Create a new one.");
                    case EventStatus.Postponed:
                        return Problem.Conflict("event-postponed", "The event is postponed: reschedule it (to its old time, if it takes place as first planned) to put it on again.");
                    case EventStatus.Draft:
                        await PublishAsync(tx, row, ct);
                        break;
                }
            }

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    private static async Task PublishAsync(NpgsqlTransaction tx, EventRow row, CancellationToken ct)
    {
        const string sql = $"""
            UPDATE events SET status = '{EventStatus.Published}', status_reason = NULL, updated_at = now() WHERE id = @id;
            UPDATE shifts SET event_status = '{EventStatus.Published}', updated_at = now() WHERE event_id = @id;
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = row.Id }, tx, cancellationToken: ct));
        await Outbox.EnqueueAsync(tx, new EventPublished(row.Id, row.Org, row.Title, row.Kind, row.StartsAt, row.EndsAt, row.LocationName), ct);
    }

    /// <summary>The series' draft occurrences, locked in time order.</summary>
    private static async Task<List<EventRow>> SeriesDraftsAsync(NpgsqlTransaction tx, Guid seriesId, CancellationToken ct)
    {
        const string sql = $"SELECT id FROM events WHERE series_id = @series AND status = '{EventStatus.Draft}' ORDER BY starts_at, id FOR UPDATE";
        var ids = await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(sql, new { series = seriesId }, tx, cancellationToken: ct));
        var drafts = new List<EventRow>();
        foreach (var id in ids)
        {
            drafts.Add((await EventRows.FindAsync(tx.Connection!, id, ct, tx))!);
        }

        return drafts;
    }
}
