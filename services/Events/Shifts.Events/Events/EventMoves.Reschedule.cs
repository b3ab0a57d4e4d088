using Dapper;
using Npgsql;
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
    /// <summary>How often a reschedule is tried again when a claim elsewhere collided with it at commit.</summary>
    private const int RescheduleAttempts = 3;

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
        var released = await ReleasedClaims.ReleaseAsync(tx, releaseConflicts, row.Id, ct);
        await ReleasedClaims.AnnounceAsync(tx, released, "reschedule-conflict", ct);
        var kept = await ClaimantsAsync(tx, row.Id, ct);
        // Each shift's new times with the revision the move raised: a consumer holding newer facts of
        // a shift (a later PATCH it processed first) keeps them.
        await Outbox.EnqueueAsync(tx, new EventRescheduled(row.Id, row.Org, row.Title, row.StartsAt, row.EndsAt,
            startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), kept, await ShiftDetailsReader.ReadOfEventAsync(tx, row.Id, ct)), ct);

        // Checked here rather than at commit, because the places just freed go to the people
        // waiting, and taking a place relies on the constraint answering at once.
        await tx.Connection!.ExecuteAsync(new CommandDefinition("SET CONSTRAINTS claims_never_overlap IMMEDIATE", transaction: tx, cancellationToken: ct));

        foreach (var shiftId in released.Select(r => r.ShiftId).Distinct())
        {
            await Waitlist.PromoteAsync(tx, shiftId, now, ct);
        }

        return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
    }

    internal static DateTimeOffset WholeMicroseconds(DateTimeOffset instant) =>
        instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerMicrosecond));
}
