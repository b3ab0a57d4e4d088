using Dapper;
using Npgsql;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.Reminders;

/// <summary>
/// The recomputation of claims' reminders whenever a claim's shift, its status or its person's
/// preferences change, in the caller's transaction: when each is due is <see cref="ReminderPlan"/>'s
/// rule; what happens to a reminder already sent or still pending is the upsert's below.
/// </summary>
public static class ClaimReminders
{
    /// <summary>
    /// Recomputes the reminders of these claims from their current start, status, person and
    /// organisation. A reminder already sent is sent again only when the shift moved (the person
    /// should hear the new time); a pending one no longer wanted is cancelled; a claim that no longer
    /// stands keeps no pending reminder.
    /// </summary>
    public static async Task RescheduleAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> claimIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(claimIds);
        if (claimIds.Count == 0)
        {
            return;
        }

        var claims = await tx.Connection!.QueryAsync<ClaimToPlan>(new CommandDefinition("""
            SELECT c.claim_id AS ClaimId, c.status AS Status, c.starts_at AS StartsAt, r.reminder_lead_times AS LeadTimes,
                   r.quiet_from AS QuietFrom, r.quiet_to AS QuietTo, o.time_zone AS TimeZone
            FROM claims c
            LEFT JOIN recipients r ON r.id = c.volunteer_id
            LEFT JOIN organisations o ON o.slug = c.org
            WHERE c.claim_id = ANY(@ids)
            """, new { ids = claimIds.ToArray() }, tx, cancellationToken: cancellationToken));
        var planned = claims
            .Where(c => c.Status == ClaimStatus.Active)
            .SelectMany(c => c.Plan(now).Select(reminder => (c.ClaimId, Reminder: reminder, c.StartsAt)))
            .ToList();

        // Dapper hands arrays to Npgsql as they are: TimeSpan[] is interval[] (only a lone TimeSpan
        // needs DapperMapping's handler). A pending reminder whose due time did not change stays pending even if that time has just
        // passed (the scheduler had not come round to it yet): recomputing must not lose it.
        await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO reminders (claim_id, lead, due_at, starts_at, status, updated_at)
            SELECT p.claim_id, p.lead, p.due_at, p.starts_at, p.status, @now
            FROM unnest(@claims, @leads, @dues, @starts, @statuses) AS p(claim_id, lead, due_at, starts_at, status)
            ON CONFLICT (claim_id, lead) DO UPDATE SET
                status = CASE
                    WHEN reminders.status = '{ReminderStatus.Done}' AND reminders.starts_at = excluded.starts_at THEN '{ReminderStatus.Done}'
                    WHEN reminders.status = '{ReminderStatus.Pending}' AND excluded.status = '{ReminderStatus.Skipped}' AND reminders.due_at = excluded.due_at
                         AND excluded.due_at < excluded.starts_at AND excluded.starts_at > @now THEN '{ReminderStatus.Pending}'
                    ELSE excluded.status END,
                due_at = excluded.due_at, starts_at = excluded.starts_at, updated_at = excluded.updated_at
            """, new
        {
            claims = planned.Select(p => p.ClaimId).ToArray(),
            leads = planned.Select(p => p.Reminder.Lead).ToArray(),
            dues = planned.Select(p => p.Reminder.DueAt).ToArray(),
            starts = planned.Select(p => p.StartsAt).ToArray(),
            statuses = planned.Select(p => p.Reminder.Skipped ? ReminderStatus.Skipped : ReminderStatus.Pending).ToArray(),
            now,
        }, tx, cancellationToken: cancellationToken));

        await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE reminders r SET status = '{ReminderStatus.Cancelled}', updated_at = @now
            WHERE r.claim_id = ANY(@ids) AND r.status = '{ReminderStatus.Pending}'
              AND NOT EXISTS (SELECT 1 FROM unnest(@claims, @leads) AS p(claim_id, lead) WHERE p.claim_id = r.claim_id AND p.lead = r.lead)
            """, new
        {
            ids = claimIds.ToArray(),
            claims = planned.Select(p => p.ClaimId).ToArray(),
            leads = planned.Select(p => p.Reminder.Lead).ToArray(),
            now,
        }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A claim with what its plan needs: the person's lead times and quiet hours (the defaults when
    /// none are known) and the organisation's zone. Properties, not a constructor: Dapper matches a
    /// constructor by the reader's field types, and Npgsql types interval[] as Array.
    /// </summary>
    private sealed class ClaimToPlan
    {
        public Guid ClaimId { get; init; }
        public required string Status { get; init; }
        public DateTimeOffset StartsAt { get; init; }
        public TimeSpan[]? LeadTimes { get; init; }
        public TimeOnly? QuietFrom { get; init; }
        public TimeOnly? QuietTo { get; init; }
        public string? TimeZone { get; init; }

        public IReadOnlyList<PlannedReminder> Plan(DateTimeOffset now) => ReminderPlan.For(
            StartsAt,
            LeadTimes is { Length: > 0 } leads ? leads : Recipient.DefaultLeadTimes,
            QuietFrom is { } from && QuietTo is { } to ? new QuietHours(from, to) : null,
            Organisation.Zone(TimeZone),
            now);
    }
}
