using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Claims;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

/// <summary>
/// Events that move (the council networking meeting that was postponed): postpone keeps every
/// claim, reschedule moves the shifts and their claims and releases only the claims that would now
/// collide with the same person's other claims, cancel releases them all. Each tells the people
/// affected through the outbox, in the transaction that made the change.
/// </summary>
public static class EventMoves
{
    public const int MaxReason = 1000;

    /// <summary>How often a reschedule is tried again when a claim elsewhere collided with it at commit.</summary>
    private const int RescheduleAttempts = 3;

    public static async Task<EventAnswer> Postpone(
        Guid eventId, EventReason? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (ReasonProblem(request) is { } invalid)
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
            await Outbox.EnqueueAsync(tx, new EventPostponed(row.Id, row.Org, row.Title, row.StartsAt, reason, claimants), ct);
            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    /// <summary>
    /// Moves the event and every shift by the same amount (the change of its start), and each
    /// claim's time with its shift. A postponed event that gets a new time is on again. Places
    /// freed by released claims go to the first people on the shift's waiting list who are free
    /// at the new time.
    /// </summary>
    public static async Task<EventAnswer> Reschedule(
        Guid eventId, EventReschedule request, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (EventRules.ValidateTimes(request.StartsAt, request.EndsAt, errors) is not { } times)
        {
            return errors.ToProblem();
        }

        // PostgreSQL keeps microseconds; so do the times compared and moved here.
        var startsAt = WholeMicroseconds(times.StartsAt);
        var endsAt = WholeMicroseconds(times.EndsAt);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transactions.RunAsync<EventAnswer>((tx, ct) => RescheduleAsync(tx, eventId, startsAt, endsAt, caller, time.GetUtcNow(), ct), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation && attempt < RescheduleAttempts)
            {
                // A claim elsewhere was committed while this transaction ran and now collides with
                // one of the moved claims. The next attempt sees it and releases the moved claim.
            }
        }
    }

    private static async Task<EventAnswer> RescheduleAsync(
        NpgsqlTransaction tx, Guid eventId, DateTimeOffset startsAt, DateTimeOffset endsAt, Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        var row = await EventRows.LockAsync(tx, eventId, ct);
        if (EventRules.Deny(row, caller, "reschedule") is { } denied)
        {
            return denied;
        }

        if (row!.Status == EventStatus.Cancelled)
        {
            return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be rescheduled. Create a new one.");
        }

        var status = row.Status == EventStatus.Postponed ? EventStatus.Published : row.Status;
        if (startsAt == row.StartsAt && endsAt == row.EndsAt && status == row.Status)
        {
            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }

        var delta = startsAt - row.StartsAt;

        // Locks every shift of the event before anything is compared: a claim on one of them
        // takes the same row lock (its conditional UPDATE of confirmed), so it either committed
        // before (and is seen below) or waits and then finds the shift at its new time.
        const string lockShifts = "SELECT max(ends_at) FROM (SELECT ends_at FROM shifts WHERE event_id = @id FOR UPDATE) locked";
        var lastEnd = await tx.Connection!.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(lockShifts, new { id = row.Id }, tx, cancellationToken: ct));
        if (lastEnd is { } lastShiftEnd && lastShiftEnd + delta > endsAt + EventRules.ShiftMargin)
        {
            return Problem.Validation("endsAt",
                $"The event's shifts would end more than {EventRules.ShiftMargin.TotalHours:0} hours after it; move or shorten the shifts first, or end the event later.");
        }

        // The moved claims are checked against each other and everyone else's at commit, when
        // the conflicting ones have been released: in one statement they would trip over their
        // own old times.
        const string move = """
            SET CONSTRAINTS claims_never_overlap DEFERRED;
            UPDATE events SET starts_at = @startsAt, ends_at = @endsAt, status = @status,
                status_reason = CASE WHEN status = @status THEN status_reason END, updated_at = now()
            WHERE id = @id;
            UPDATE shifts SET starts_at = starts_at + @delta * interval '1 microsecond', ends_at = ends_at + @delta * interval '1 microsecond',
                event_status = @status, updated_at = now()
            WHERE event_id = @id;
            UPDATE claims c SET during = tstzrange(s.starts_at, s.ends_at, '[)')
            FROM shifts s
            WHERE s.id = c.shift_id AND s.event_id = @id;
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(move, new
        {
            id = row.Id,
            startsAt,
            endsAt,
            status,
            // Microseconds, not a TimeSpan: an interval of "n days" would be calendar days in the
            // session's time zone, 23 or 25 hours long across a daylight-saving change.
            delta = delta.Ticks / TimeSpan.TicksPerMicrosecond,
        }, tx, cancellationToken: ct));

        const string releaseConflicts = $"""
            WITH event_shifts AS (
                SELECT id FROM shifts WHERE event_id = @id
            ), released AS (
                UPDATE claims c SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = 'reschedule-conflict'
                WHERE c.status = '{ClaimStatus.Confirmed}' AND c.shift_id IN (SELECT id FROM event_shifts)
                  AND EXISTS (
                      SELECT 1 FROM claims other
                      WHERE other.volunteer_id = c.volunteer_id AND other.status = '{ClaimStatus.Confirmed}'
                        AND other.during && c.during
                        AND other.shift_id NOT IN (SELECT id FROM event_shifts))
                RETURNING c.id, c.volunteer_id, c.shift_id
            ), counted AS (
                UPDATE shifts s SET confirmed = s.confirmed - r.released, updated_at = now()
                FROM (SELECT shift_id, count(*)::int AS released FROM released GROUP BY shift_id) r
                WHERE s.id = r.shift_id
            )
            SELECT id, volunteer_id, shift_id FROM released ORDER BY shift_id, volunteer_id
            """;
        var released = await ReleasedAsync(tx, releaseConflicts, row.Id, ct);
        await AnnounceReleasedAsync(tx, released, "reschedule-conflict", ct);
        var kept = await ClaimantsAsync(tx, row.Id, ct);
        await Outbox.EnqueueAsync(tx, new EventRescheduled(row.Id, row.Org, row.Title, row.StartsAt, row.EndsAt,
            startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), kept), ct);

        // Checked here rather than at commit, because the places just freed go to the people
        // waiting, and taking a place relies on the constraint answering at once.
        await tx.Connection!.ExecuteAsync(new CommandDefinition("SET CONSTRAINTS claims_never_overlap IMMEDIATE", transaction: tx, cancellationToken: ct));

        foreach (var shiftId in released.Select(r => r.ShiftId).Distinct())
        {
            await Waitlist.PromoteAsync(tx, shiftId, now, ct);
        }

        return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
    }

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
            var released = await ReleasedAsync(tx, releaseAll, row.Id, ct);
            await AnnounceReleasedAsync(tx, released, "event-cancelled", ct);

            var affected = released.Select(r => r.VolunteerId).Distinct().Order().ToList();
            await Outbox.EnqueueAsync(tx, new EventCancelled(row.Id, row.Org, row.Title, row.StartsAt, reason, affected), ct);
            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    private static ProblemHttpResult? ReasonProblem(EventReason? request) =>
        request?.Reason is { } reason && reason.Trim().Length > MaxReason
            ? Problem.Validation("reason", $"'reason' may be at most {MaxReason} characters long.")
            : null;

    /// <summary>The event's status, copied to its shifts (the open-shift list and claims look only at the shift).</summary>
    private static async Task SetStatusAsync(NpgsqlTransaction tx, Guid eventId, string status, string? reason, CancellationToken ct)
    {
        const string sql = """
            UPDATE events SET status = @status, status_reason = @reason, updated_at = now() WHERE id = @id;
            UPDATE shifts SET event_status = @status, updated_at = now() WHERE event_id = @id;
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = eventId, status, reason }, tx, cancellationToken: ct));
    }

    /// <summary>Everyone holding a confirmed claim on one of the event's shifts.</summary>
    private static async Task<List<Guid>> ClaimantsAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken ct)
    {
        const string sql = $"""
            SELECT DISTINCT c.volunteer_id
            FROM claims c JOIN shifts s ON s.id = c.shift_id
            WHERE s.event_id = @id AND c.status = '{ClaimStatus.Confirmed}'
            ORDER BY c.volunteer_id
            """;
        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(sql, new { id = eventId }, tx, cancellationToken: ct))).ToList();
    }

    private static async Task<List<(Guid ClaimId, Guid VolunteerId, Guid ShiftId)>> ReleasedAsync(NpgsqlTransaction tx, string sql, Guid eventId, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<(Guid ClaimId, Guid VolunteerId, Guid ShiftId)>(new CommandDefinition(sql, new { id = eventId }, tx, cancellationToken: ct))).ToList();

    /// <summary>One ClaimCancelled per released claim, naming the shift as it is now (after a reschedule: its new time).</summary>
    private static async Task AnnounceReleasedAsync(NpgsqlTransaction tx, List<(Guid ClaimId, Guid VolunteerId, Guid ShiftId)> released, string reason, CancellationToken ct)
    {
        var shifts = new Dictionary<Guid, ShiftDetails>();
        foreach (var (claimId, volunteerId, shiftId) in released)
        {
            if (!shifts.TryGetValue(shiftId, out var details))
            {
                shifts[shiftId] = details = (await ShiftDetailsReader.ReadAsync(tx, shiftId, ct))!;
            }

            await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, reason, details), ct);
        }
    }

    private static DateTimeOffset WholeMicroseconds(DateTimeOffset instant) =>
        instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerMicrosecond));
}
