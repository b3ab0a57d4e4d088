using Shifts.Contracts;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

public static partial class EventMoves
{
    /// <summary>
    /// Cancels the event: every confirmed claim is released, the waiting lists are cleared, and
    /// the shifts stay as they were (so the plan can still be read) but can no longer be claimed.
    /// Cancelling twice changes nothing the second time.
    /// </summary>
    public static async Task<EventAnswer> Cancel(
        Guid eventId, EventReason? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (ReasonProblem(request) is { } invalid)
        {
            return invalid;
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (EventRules.Deny(row, caller, "cancel") is { } denied)
            {
                return denied;
            }

            if (row!.Status == EventStatus.Cancelled)
            {
                return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
            }

            // The event's status and its shifts' change first: that locks the shifts, so a claim
            // in flight on one of them has committed (and is released below) or waits and then
            // finds the event cancelled.
            var reason = EventRules.Blank(request?.Reason);
            await SetStatusAsync(tx, row.Id, EventStatus.Cancelled, reason, ct);

            const string releaseAll = $"""
                WITH released AS (
                    UPDATE claims SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = 'event-cancelled'
                    WHERE status = '{ClaimStatus.Confirmed}' AND shift_id IN (SELECT id FROM shifts WHERE event_id = @id)
                    RETURNING id, volunteer_id, shift_id
                ), cleared AS (
                    DELETE FROM waitlist_entries WHERE shift_id IN (SELECT id FROM shifts WHERE event_id = @id)
                ), emptied AS (
                    UPDATE shifts SET confirmed = 0, waitlisted = 0, updated_at = now() WHERE event_id = @id
                )
                SELECT id, volunteer_id, shift_id FROM released ORDER BY shift_id, volunteer_id
                """;
            var released = await ReleasedClaims.ReleaseAsync(tx, releaseAll, row.Id, ct);
            await ReleasedClaims.AnnounceAsync(tx, released, "event-cancelled", ct);

            var affected = released.Select(r => r.VolunteerId).Distinct().Order().ToList();
            await Outbox.EnqueueAsync(tx, new EventCancelled(row.Id, row.Org, row.Title, row.StartsAt, reason, affected), ct);
            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }
}
