using System.Globalization;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.Reminders;
using Shifts.Notifications.Welcome;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Notifications.Volunteers;

/// <summary>
/// Handles VolunteerRegistered, VolunteerProfileChanged, MembershipChanged and VolunteerErased from the volunteers service, on the queue notifications-recipient-consumers.
/// <para>
/// Keeps the recipients replica current from the volunteers service's events, welcomes a person
/// joining an organisation, and erases a person with everything this service holds about them.
/// One consumer (one queue) for all of a person's events.
/// </para>
/// </summary>
public sealed class RecipientConsumers(NpgsqlDataSource db, WelcomeMail welcome, TimeProvider time, ILogger<RecipientConsumers> logger)
    : IConsumer<VolunteerRegistered>, IConsumer<VolunteerProfileChanged>, IConsumer<MembershipChanged>, IConsumer<VolunteerErased>
{
    private const string Name = nameof(RecipientConsumers);

    public Task Consume(ConsumeContext<VolunteerRegistered> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            // A registration is the first thing said about a person: a row already here came from a
            // later profile change that overtook it, and is newer.
            await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO recipients (id, email, display_name, locale) VALUES (@id, @email, @name, @locale)
                ON CONFLICT (id) DO NOTHING
                """, new { id = m.VolunteerId, email = m.Email, name = m.Name, locale = m.Locale }, tx, cancellationToken: context.CancellationToken));
        }, logger);
    }

    public Task Consume(ConsumeContext<VolunteerProfileChanged> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var preferences = m.Preferences;
            var quietFrom = Clock(preferences?.QuietHoursFrom);
            var quietTo = Clock(preferences?.QuietHoursTo);
            var hasQuietHours = quietFrom is not null && quietTo is not null;
            await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO recipients (id, email, display_name, locale, email_reminders, reminder_lead_times, quiet_from, quiet_to, updated_at)
                VALUES (@id, @email, @name, @locale, @reminders, @leads, @quietFrom, @quietTo, now())
                ON CONFLICT (id) DO UPDATE SET email = excluded.email, display_name = excluded.display_name, locale = excluded.locale,
                    email_reminders = excluded.email_reminders, reminder_lead_times = excluded.reminder_lead_times,
                    quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to, updated_at = now()
                """, new
            {
                id = m.VolunteerId,
                email = m.Email,
                name = m.Name,
                locale = m.Locale,
                reminders = preferences?.EmailReminders ?? true,
                leads = preferences?.ReminderLeadTimes is { Count: > 0 } leads ? leads.ToArray() : null,
                quietFrom = hasQuietHours ? quietFrom : null,
                quietTo = hasQuietHours ? quietTo : null,
            }, tx, cancellationToken: context.CancellationToken));

            // New lead times or quiet hours apply to the shifts already claimed, too.
            await ClaimRecords.RescheduleVolunteerAsync(tx, m.VolunteerId, time.GetUtcNow(), context.CancellationToken);
        }, logger);
    }

    public async Task Consume(ConsumeContext<MembershipChanged> context)
    {
        var m = context.Message;
        // Asking the events service for newcomer shifts may take seconds: done before the
        // transaction, and only when this looks like a first membership of a known person.
        IReadOnlyList<ShiftDetails>? newcomerShifts = null;
        if (m.Role == "helper" && await LooksLikeFirstMembershipAsync(m, context.CancellationToken))
        {
            newcomerShifts = await welcome.NewcomerShiftsAsync(m.Org, context.CancellationToken);
        }

        await db.ConsumeOnceAsync(context, Name, async tx =>
        {
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            // The replica decides who may read the delivery log: a change older than one applied
            // already (delivered out of order) changes nothing, and welcomes nobody.
            if (!await MembershipReplica.TryAdvanceAsync(tx, m.VolunteerId, m.Org, m.Version, context.CancellationToken))
            {
                return;
            }

            var membership = new { id = m.VolunteerId, org = m.Org, role = m.Role };
            var first = await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE volunteer_id = @id AND org = @org)", membership, tx, cancellationToken: context.CancellationToken));

            await tx.Connection!.ExecuteAsync(new CommandDefinition(m.Role is null
                ? "DELETE FROM memberships WHERE volunteer_id = @id AND org = @org"
                : """
                  INSERT INTO memberships (volunteer_id, org, role) VALUES (@id, @org, @role)
                  ON CONFLICT (volunteer_id, org) DO UPDATE SET role = excluded.role
                  """, membership, tx, cancellationToken: context.CancellationToken));

            if (m.Role != "helper" || !first || await Recipient.RequireAsync(tx, m.VolunteerId, context.CancellationToken) is not { } recipient)
            {
                return;
            }

            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            var now = time.GetUtcNow();
            await Deliveries.EnqueueAsync(tx, welcome.Render(context.MessageId!.Value, recipient, org, newcomerShifts), now, context.CancellationToken);
        }, logger);
    }

    /// <summary>
    /// Erasure (GDPR art. 17): the address, name, preferences, memberships, claims and reminders go;
    /// deliveries stay as anonymous counts (no address, no recipient id, a generic subject, no body)
    /// so an organisation's delivery log keeps its totals. Pending mail to the person is never sent.
    /// The person's own reads of delivery logs stay as anonymous rows (who read is gone, that it was read is kept).
    /// </summary>
    public Task Consume(ConsumeContext<VolunteerErased> context)
    {
        var id = context.Message.VolunteerId;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO erased_recipients (id) VALUES (@id) ON CONFLICT DO NOTHING;
                DELETE FROM recipients WHERE id = @id;
                DELETE FROM memberships WHERE volunteer_id = @id;
                DELETE FROM membership_versions WHERE volunteer_id = @id;
                UPDATE delivery_log_reads SET reader_id = NULL WHERE reader_id = @id;
                UPDATE deliveries
                SET recipient_id = NULL, recipient_email = 'erased@invalid', subject = kind,
                    dedup_key = 'erased:' || id, body_text = NULL, body_html = NULL, attachments = NULL,
                    last_error = CASE WHEN status = '{DeliveryStatus.Pending}' THEN 'recipient erased' ELSE last_error END,
                    status = CASE WHEN status = '{DeliveryStatus.Pending}' THEN '{DeliveryStatus.Suppressed}' ELSE status END
                WHERE recipient_id = @id;
                """, new { id }, tx, cancellationToken: context.CancellationToken));

            await ClaimRecords.ForgetVolunteerAsync(tx, id, context.CancellationToken);
        }, logger);
    }

    /// <summary>Known (else the welcome cannot be sent yet: fail fast so MassTransit retries) and not yet a member.</summary>
    private async Task<bool> LooksLikeFirstMembershipAsync(MembershipChanged m, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var member = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM memberships WHERE volunteer_id = @id AND org = @org)", new { id = m.VolunteerId, org = m.Org }, tx, cancellationToken: cancellationToken));
        return !member && await Recipient.RequireAsync(tx, m.VolunteerId, cancellationToken) is not null;
    }

    /// <summary>"22:00" as a clock time; anything else as none (the volunteers service validates it).</summary>
    private static TimeOnly? Clock(string? value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock) ? clock : null;
}
