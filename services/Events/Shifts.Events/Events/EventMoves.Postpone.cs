using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

public static partial class EventMoves
{
    /// <summary>
    /// POST /api/events/{eventId}/postpone: the event is off until it gets a new time; every claim
    /// stays, and the people holding one are told.
    /// </summary>
    public static async Task<EventAnswer> Postpone(
        Guid eventId, EventReason? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (ReasonProblem(request?.Reason) is { } invalid)
        {
            return invalid;
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (EventRules.Deny(row, caller, "postpone") is { } denied)
            {
                return denied;
            }

            switch (row!.Status)
            {
                case EventStatus.Cancelled:
                    return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be postponed.");
                case EventStatus.Draft:
                    return Problem.Conflict("event-not-published", "The event is a draft: nobody has been told about it yet, so just reschedule it.");
                case EventStatus.Postponed:
                    return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
            }

            var reason = EventRules.Blank(request?.Reason);
            await SetStatusAsync(tx, row.Id, EventStatus.Postponed, reason, ct);
            var claimants = await ClaimantsAsync(tx, row.Id, ct);
            await Outbox.EnqueueAsync(tx, new EventPostponed(row.Id, row.Org, row.Title, row.StartsAt, reason, claimants,
                await ShiftDetailsReader.ReadOfEventAsync(tx, row.Id, ct)), ct);
            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }
}
