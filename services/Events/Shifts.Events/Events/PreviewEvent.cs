using Dapper;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using PreviewAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventPreview>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

/// <summary>
/// POST /api/events/{eventId}/preview: what publish, postpone, reschedule or cancel would do, for
/// the editor to say before the click ("4 people will be told; 1 claim overlaps and will be
/// released"). Nothing is changed. It refuses what the action refuses (400 for bad times, 409 for
/// an event in the wrong state) and otherwise counts with the action's own rules, on the state as
/// it is now: a claim or a cancellation between preview and action can change the numbers.
/// </summary>
public static class PreviewEvent
{
    public const string Publish = "publish";
    public const string Postpone = "postpone";
    public const string Reschedule = "reschedule";
    public const string Cancel = "cancel";

    private static readonly string[] Actions = [Publish, Postpone, Reschedule, Cancel];

    public static async Task<PreviewAnswer> Handle(
        Guid eventId, EventPreviewRequest? request, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var action = request?.Action;
        if (action is null || !Actions.Contains(action, StringComparer.Ordinal))
        {
            return Problem.Validation("action", $"'action' must be one of {string.Join(", ", Actions)}.");
        }

        (DateTimeOffset StartsAt, DateTimeOffset EndsAt)? times = null;
        if (action == Reschedule)
        {
            var errors = new ValidationErrors();
            if (EventRules.ValidateTimes(request!.StartsAt, request.EndsAt, errors) is not { } valid)
            {
                return errors.ToProblem();
            }

            times = (EventMoves.WholeMicroseconds(valid.StartsAt), EventMoves.WholeMicroseconds(valid.EndsAt));
        }

        return await transactions.RunAsync<PreviewAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.FindAsync(tx.Connection!, eventId, ct, tx);
            if (EventRules.Deny(row, caller, "preview changes to") is { } denied)
            {
                return denied;
            }

            return action switch
            {
                Publish => await PublishAsync(tx, row!, request!.Series == true, ct),
                Postpone => await PostponeAsync(tx, row!, ct),
                Reschedule => await RescheduleAsync(tx, row!, times!.Value.StartsAt, times.Value.EndsAt, time.GetUtcNow(), ct),
                _ => await CancelAsync(tx, row!, request!.Following == true, ct),
            };
        }, cancellationToken);
    }

    /// <summary>Publishing tells nobody (nobody holds a claim on a draft) and releases nothing.</summary>
    private static async Task<PreviewAnswer> PublishAsync(NpgsqlTransaction tx, EventRow row, bool wholeSeries, CancellationToken ct)
    {
        List<Guid> targets;
        if (wholeSeries && row.SeriesId is { } seriesId)
        {
            const string drafts = $"SELECT id FROM events WHERE series_id = @series AND status = '{EventStatus.Draft}'";
            targets = (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(drafts, new { series = seriesId }, tx, cancellationToken: ct))).ToList();
        }
        else
        {
            switch (row.Status)
            {
                case EventStatus.Cancelled:
                    return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be published again. Create a new one.");
                case EventStatus.Postponed:
                    return Problem.Conflict("event-postponed", "The event is postponed: reschedule it (to its old time, if it takes place as first planned) to put it on again.");
            }

            targets = row.Status == EventStatus.Draft ? [row.Id] : [];
        }

        var counts = await CountAsync(tx, targets, ct);
        return TypedResults.Ok(new EventPreview(Publish, targets.Count, 0, 0, 0, counts.Shifts));
    }

    /// <summary>Postponing keeps every claim and tells their holders.</summary>
    private static async Task<PreviewAnswer> PostponeAsync(NpgsqlTransaction tx, EventRow row, CancellationToken ct)
    {
        switch (row.Status)
        {
            case EventStatus.Cancelled:
                return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be postponed.");
            case EventStatus.Draft:
                return Problem.Conflict("event-not-published", "The event is a draft: nobody has been told about it yet, so just reschedule it.");
        }

        List<Guid> targets = row.Status == EventStatus.Postponed ? [] : [row.Id];
        var counts = await CountAsync(tx, targets, ct);
        return TypedResults.Ok(new EventPreview(Postpone, targets.Count, counts.Claimants, 0, 0, counts.Shifts));
    }

    /// <summary>Cancelling releases every claim of the events touched and tells their holders (the waiting lists are cleared silently).</summary>
    private static async Task<PreviewAnswer> CancelAsync(NpgsqlTransaction tx, EventRow row, bool following, CancellationToken ct)
    {
        var targets = await EventMoves.CancelTargetsAsync(tx, row, following, lockRows: false, ct);
        var counts = await CountAsync(tx, targets, ct);
        return TypedResults.Ok(new EventPreview(Cancel, targets.Count, counts.Claimants, counts.Claims, 0, counts.Shifts));
    }

    /// <summary>
    /// Rescheduling moves every shift by the change of the event's start. Released: the claims
    /// whose moved time overlaps another claim of the same person (on another event). Told: the
    /// holders of the kept claims (the notice of the new time), of the released ones (that their
    /// place is gone), and the people waiting who would get a released place (first come, and free
    /// at the new time), each once.
    /// </summary>
    private static async Task<PreviewAnswer> RescheduleAsync(
        NpgsqlTransaction tx, EventRow row, DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now, CancellationToken ct)
    {
        if (row.Status == EventStatus.Cancelled)
        {
            return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be rescheduled. Create a new one.");
        }

        if (startsAt == row.StartsAt && endsAt == row.EndsAt && row.Status != EventStatus.Postponed)
        {
            return TypedResults.Ok(new EventPreview(Reschedule, 0, 0, 0, 0, 0));
        }

        var delta = (startsAt - row.StartsAt).Ticks / TimeSpan.TicksPerMicrosecond;
        const string lastEnd = "SELECT max(ends_at) FROM shifts WHERE event_id = @id";
        var lastShiftEnd = await tx.Connection!.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(lastEnd, new { id = row.Id }, tx, cancellationToken: ct));
        if (lastShiftEnd is { } last && last.AddTicks(delta * TimeSpan.TicksPerMicrosecond) > endsAt + EventRules.ShiftMargin)
        {
            return Problem.Validation("endsAt",
                $"The event's shifts would end more than {EventRules.ShiftMargin.TotalHours:0} hours after it; move or shorten the shifts first, or end the event later.");
        }

        const string sql = $"""
            WITH moved AS (
                SELECT s.id, s.status, s.starts_at + @delta * interval '1 microsecond' AS new_start,
                       tstzrange(s.starts_at + @delta * interval '1 microsecond', s.ends_at + @delta * interval '1 microsecond', '[)') AS during
                FROM shifts s WHERE s.event_id = @id
            ), held AS (
                SELECT c.id, c.volunteer_id, c.shift_id, m.during,
                       EXISTS (
                           SELECT 1 FROM claims other
                           WHERE other.volunteer_id = c.volunteer_id AND other.status = '{ClaimStatus.Confirmed}'
                             AND other.during && m.during AND other.shift_id NOT IN (SELECT id FROM moved)) AS collides
                FROM claims c JOIN moved m ON m.id = c.shift_id
                WHERE c.status = '{ClaimStatus.Confirmed}'
            ), freed AS (
                SELECT shift_id, count(*) AS places FROM held WHERE collides GROUP BY shift_id
            ), waiting AS (
                SELECT w.volunteer_id, f.places, row_number() OVER (PARTITION BY w.shift_id ORDER BY w.position) AS place
                FROM waitlist_entries w JOIN freed f ON f.shift_id = w.shift_id JOIN moved m ON m.id = w.shift_id
                WHERE m.status = '{ShiftStatus.Open}' AND m.new_start > @now
                  AND NOT EXISTS (
                      SELECT 1 FROM claims other
                      WHERE other.volunteer_id = w.volunteer_id AND other.status = '{ClaimStatus.Confirmed}'
                        AND other.during && m.during AND other.shift_id NOT IN (SELECT id FROM moved))
            )
            SELECT (SELECT count(*) FROM held WHERE collides)::int AS released,
                   (SELECT count(DISTINCT volunteer_id) FROM (
                       SELECT volunteer_id FROM held
                       UNION SELECT volunteer_id FROM waiting WHERE place <= places) told)::int AS told,
                   (SELECT count(*) FROM moved)::int AS shifts
            """;
        var counts = await tx.Connection!.QuerySingleAsync<(int Released, int Told, int Shifts)>(new CommandDefinition(sql, new { id = row.Id, delta, now }, tx, cancellationToken: ct));
        return TypedResults.Ok(new EventPreview(Reschedule, 1, counts.Told, counts.Released, counts.Released, counts.Shifts));
    }

    /// <summary>The shifts of the events, their confirmed claims, and the distinct people holding those.</summary>
    private static async Task<(int Shifts, int Claims, int Claimants)> CountAsync(NpgsqlTransaction tx, List<Guid> eventIds, CancellationToken ct)
    {
        if (eventIds.Count == 0)
        {
            return (0, 0, 0);
        }

        const string sql = $"""
            SELECT (SELECT count(*) FROM shifts WHERE event_id = ANY(@ids))::int AS shifts,
                   count(c.id)::int AS claims,
                   count(DISTINCT c.volunteer_id)::int AS claimants
            FROM claims c JOIN shifts s ON s.id = c.shift_id
            WHERE s.event_id = ANY(@ids) AND c.status = '{ClaimStatus.Confirmed}'
            """;
        return await tx.Connection!.QuerySingleAsync<(int, int, int)>(new CommandDefinition(sql, new { ids = eventIds.ToArray() }, tx, cancellationToken: ct));
    }
}
