using Npgsql;
using Shifts.Contracts;
using Shifts.Notifications.Recipients;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Notifications.Reminders;

/// <summary>A claim as this service remembers it: whose, which shift, when and where, and whether it still stands.</summary>
public sealed record ClaimRecord(Guid ClaimId, Guid VolunteerId, string Status, ShiftDetails Shift);

/// <summary>
/// The per-claim table behind reminders (and behind the place and shift named in event notices),
/// and the recomputation of a claim's reminders whenever its shift, its status or its person's
/// preferences change. Every method runs in the caller's (inbox) transaction.
/// </summary>
public static class ClaimRecords
{
    private const string Columns = """
        claim_id, volunteer_id, status, shift_id, event_id, org, event_title, shift_title, starts_at, ends_at, location_name, location_address
        """;

    /// <summary>
    /// Remembers a confirmed claim and schedules its reminders. Returns false when the claim was
    /// cancelled before this message was processed (its ClaimCancelled overtook it): then nothing is
    /// scheduled, and the caller sends no confirmation.
    /// </summary>
    public static async Task<bool> RecordAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        await using (var insert = Command(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, '{ClaimStatus.Active}', @shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @now)
            ON CONFLICT (claim_id) DO NOTHING
            """))
        {
            AddShift(insert, claimId, volunteerId, shift, now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var claim = await FindAsync(tx, claimId, cancellationToken);
        if (claim?.Status != ClaimStatus.Active)
        {
            return false;
        }

        await RescheduleAsync(tx, [claimId], now, cancellationToken);
        return true;
    }

    /// <summary>Marks the claim cancelled (creating its tombstone if the claim itself was never seen) and cancels its reminders.</summary>
    public static async Task CancelAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        await using (var upsert = Command(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, '{ClaimStatus.Cancelled}', @shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @now)
            ON CONFLICT (claim_id) DO UPDATE SET status = '{ClaimStatus.Cancelled}', updated_at = excluded.updated_at
            """))
        {
            AddShift(upsert, claimId, volunteerId, shift, now);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await RescheduleAsync(tx, [claimId], now, cancellationToken);
    }

    /// <summary>A shift's title, place or time changed: the claims on it take the new details and their reminders move.</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> ShiftChangedAsync(NpgsqlTransaction tx, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        await using var update = Command(tx, $"""
            UPDATE claims SET event_title = @eventTitle, shift_title = @shiftTitle, starts_at = @startsAt, ends_at = @endsAt,
                              location_name = @location, location_address = @address, updated_at = @now
            WHERE shift_id = @shift AND status <> '{ClaimStatus.Cancelled}'
            RETURNING claim_id
            """);
        AddShift(update, Guid.Empty, Guid.Empty, shift, now);
        return await UpdateAndRescheduleAsync(tx, update, now, cancellationToken);
    }

    /// <summary>Claims released because their shift was cancelled.</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> ShiftCancelledAsync(NpgsqlTransaction tx, Guid shiftId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = Command(tx, $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE shift_id = @shift AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id");
        update.Parameters.AddWithValue("shift", shiftId);
        update.Parameters.AddWithValue("now", now);
        return await UpdateAndRescheduleAsync(tx, update, now, cancellationToken);
    }

    /// <summary>A postponed event has no date: its claims stand, but nobody is reminded of a time that no longer holds.</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> EventPostponedAsync(NpgsqlTransaction tx, Guid eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = Command(tx, $"UPDATE claims SET status = '{ClaimStatus.Postponed}', updated_at = @now WHERE event_id = @event AND status = '{ClaimStatus.Active}' RETURNING claim_id");
        update.Parameters.AddWithValue("event", eventId);
        update.Parameters.AddWithValue("now", now);
        return await UpdateAndRescheduleAsync(tx, update, now, cancellationToken);
    }

    /// <summary>
    /// An event moved, and its shifts with it by the same amount (the events service moves them so):
    /// the kept claims take the new times, stand again if the event was postponed, and their
    /// reminders move.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimRecord>> EventRescheduledAsync(NpgsqlTransaction tx, Guid eventId, string title, TimeSpan delta, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = Command(tx, $"""
            UPDATE claims SET starts_at = starts_at + @delta, ends_at = ends_at + @delta, event_title = @title,
                              status = '{ClaimStatus.Active}', updated_at = @now
            WHERE event_id = @event AND status IN ('{ClaimStatus.Active}', '{ClaimStatus.Postponed}')
            RETURNING claim_id
            """);
        update.Parameters.AddWithValue("event", eventId);
        update.Parameters.AddWithValue("title", title);
        update.Parameters.AddWithValue("delta", delta);
        update.Parameters.AddWithValue("now", now);
        return await UpdateAndRescheduleAsync(tx, update, now, cancellationToken);
    }

    public static async Task<IReadOnlyList<ClaimRecord>> EventCancelledAsync(NpgsqlTransaction tx, Guid eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = Command(tx, $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE event_id = @event AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id");
        update.Parameters.AddWithValue("event", eventId);
        update.Parameters.AddWithValue("now", now);
        return await UpdateAndRescheduleAsync(tx, update, now, cancellationToken);
    }

    /// <summary>The person's lead times or quiet hours changed: their upcoming reminders follow.</summary>
    public static async Task RescheduleVolunteerAsync(NpgsqlTransaction tx, Guid volunteerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using (var select = Command(tx, $"SELECT claim_id FROM claims WHERE volunteer_id = @volunteer AND status = '{ClaimStatus.Active}' AND starts_at > @now"))
        {
            select.Parameters.AddWithValue("volunteer", volunteerId);
            select.Parameters.AddWithValue("now", now);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        await RescheduleAsync(tx, ids, now, cancellationToken);
    }

    /// <summary>Erasure: the person's claims and reminders go.</summary>
    public static async Task ForgetVolunteerAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        await using var delete = Command(tx, "DELETE FROM claims WHERE volunteer_id = @volunteer");
        delete.Parameters.AddWithValue("volunteer", volunteerId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Claims of an event, one per person (their earliest), for the place and shift named in notices about the event.</summary>
    public static async Task<Dictionary<Guid, ClaimRecord>> OfEventAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken cancellationToken)
    {
        await using var select = Command(tx, $"SELECT {Columns} FROM claims WHERE event_id = @event ORDER BY starts_at");
        select.Parameters.AddWithValue("event", eventId);
        var byVolunteer = new Dictionary<Guid, ClaimRecord>();
        foreach (var claim in await ReadAsync(select, cancellationToken))
        {
            byVolunteer.TryAdd(claim.VolunteerId, claim);
        }

        return byVolunteer;
    }

    public static async Task<ClaimRecord?> FindAsync(NpgsqlTransaction tx, Guid claimId, CancellationToken cancellationToken) =>
        (await FindManyAsync(tx, [claimId], cancellationToken)).GetValueOrDefault(claimId);

    public static async Task<Dictionary<Guid, ClaimRecord>> FindManyAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken)
    {
        await using var select = Command(tx, $"SELECT {Columns} FROM claims WHERE claim_id = ANY(@ids)");
        select.Parameters.AddWithValue("ids", claimIds.ToArray());
        return (await ReadAsync(select, cancellationToken)).ToDictionary(c => c.ClaimId);
    }

    /// <summary>
    /// Recomputes the reminders of these claims from their current start, status, person and
    /// organisation. A reminder already sent is sent again only when the shift moved (the person
    /// should hear the new time); a pending one no longer wanted is cancelled; a claim that no longer
    /// stands keeps no pending reminder.
    /// </summary>
    public static async Task RescheduleAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> claimIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (claimIds.Count == 0)
        {
            return;
        }

        var planned = new List<(Guid Claim, PlannedReminder Reminder, DateTimeOffset StartsAt)>();
        await using (var select = Command(tx, """
            SELECT c.claim_id, c.status, c.starts_at, r.reminder_lead_times, r.quiet_from, r.quiet_to, o.time_zone
            FROM claims c
            LEFT JOIN recipients r ON r.id = c.volunteer_id
            LEFT JOIN organisations o ON o.slug = c.org
            WHERE c.claim_id = ANY(@ids)
            """))
        {
            select.Parameters.AddWithValue("ids", claimIds.ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetString(1) != ClaimStatus.Active)
                {
                    continue;
                }

                var startsAt = reader.GetFieldValue<DateTimeOffset>(2);
                var leads = reader.IsDBNull(3) || reader.GetFieldValue<TimeSpan[]>(3).Length == 0 ? Recipient.DefaultLeadTimes : reader.GetFieldValue<TimeSpan[]>(3);
                var quiet = reader.IsDBNull(4) || reader.IsDBNull(5) ? null : new QuietHours(reader.GetFieldValue<TimeOnly>(4), reader.GetFieldValue<TimeOnly>(5));
                var zone = Organisation.Zone(reader.IsDBNull(6) ? TimeZones.DefaultId : reader.GetString(6));
                planned.AddRange(ReminderPlan.For(startsAt, leads, quiet, zone, now).Select(r => (reader.GetGuid(0), r, startsAt)));
            }
        }

        // A pending reminder whose due time did not change stays pending even if that time has just
        // passed (the scheduler had not come round to it yet): recomputing must not lose it.
        await using (var upsert = Command(tx, $"""
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
            """))
        {
            upsert.Parameters.AddWithValue("claims", planned.Select(p => p.Claim).ToArray());
            upsert.Parameters.AddWithValue("leads", planned.Select(p => p.Reminder.Lead).ToArray());
            upsert.Parameters.AddWithValue("dues", planned.Select(p => p.Reminder.DueAt).ToArray());
            upsert.Parameters.AddWithValue("starts", planned.Select(p => p.StartsAt).ToArray());
            upsert.Parameters.AddWithValue("statuses", planned.Select(p => p.Reminder.Skipped ? ReminderStatus.Skipped : ReminderStatus.Pending).ToArray());
            upsert.Parameters.AddWithValue("now", now);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var cancel = Command(tx, $"""
            UPDATE reminders r SET status = '{ReminderStatus.Cancelled}', updated_at = @now
            WHERE r.claim_id = ANY(@ids) AND r.status = '{ReminderStatus.Pending}'
              AND NOT EXISTS (SELECT 1 FROM unnest(@claims, @leads) AS p(claim_id, lead) WHERE p.claim_id = r.claim_id AND p.lead = r.lead)
            """);
        cancel.Parameters.AddWithValue("ids", claimIds.ToArray());
        cancel.Parameters.AddWithValue("claims", planned.Select(p => p.Claim).ToArray());
        cancel.Parameters.AddWithValue("leads", planned.Select(p => p.Reminder.Lead).ToArray());
        cancel.Parameters.AddWithValue("now", now);
        await cancel.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ClaimRecord>> UpdateAndRescheduleAsync(NpgsqlTransaction tx, NpgsqlCommand update, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        await RescheduleAsync(tx, ids, now, cancellationToken);
        return (await FindManyAsync(tx, ids, cancellationToken)).Values.ToList();
    }

    private static async Task<List<ClaimRecord>> ReadAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var claims = new List<ClaimRecord>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new ClaimRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), new ShiftDetails(
                reader.GetGuid(3), reader.GetGuid(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11))));
        }

        return claims;
    }

    private static NpgsqlCommand Command(NpgsqlTransaction tx, string sql) => new(sql, tx.Connection, tx);

    private static void AddShift(NpgsqlCommand command, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("claim", claimId);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        command.Parameters.AddWithValue("shift", shift.ShiftId);
        command.Parameters.AddWithValue("event", shift.EventId);
        command.Parameters.AddWithValue("org", shift.Org);
        command.Parameters.AddWithValue("eventTitle", shift.EventTitle);
        command.Parameters.AddWithValue("shiftTitle", shift.ShiftTitle);
        command.Parameters.AddWithValue("startsAt", shift.StartsAt.ToUniversalTime());
        command.Parameters.AddWithValue("endsAt", shift.EndsAt.ToUniversalTime());
        command.Parameters.AddWithValue("location", shift.LocationName);
        command.Parameters.AddWithValue("address", (object?)shift.LocationAddress ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
    }
}
