using Ical.Net;
using MimeKit;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Notifications.Tests.Reminders;

/// <summary>
/// Messages about one shift come on different queues, so in any order: each test delivers two of
/// them the other way round. The shift's revision decides: a claim learnt after a later change takes
/// the new time (reminders and confirmation), and a change, reschedule or postponement that a later
/// one overtook changes nothing and is not told (a reschedule whose shift moved again since still
/// tells the event's new date, naming the shift's newest time).
/// </summary>
[Collection(nameof(NotificationsCollection))]
public sealed class MessageOrderTests(NotificationsFixture fixture)
{
    // Saturday, 6 July 2030, 10:00–12:00 in Berlin.
    private static readonly DateTimeOffset Start = NotificationsFixture.Local(new DateTime(2030, 7, 6, 10, 0, 0));

    [Fact]
    public async Task A_claim_processed_after_a_later_change_is_reminded_and_confirmed_at_the_new_time()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var claimed = NotificationsFixture.Shift(org, Start) with { Revision = 1 };
        var moved = claimed with { StartsAt = Start.AddHours(4), EndsAt = claimed.EndsAt.AddHours(4), Revision = 2 };
        var claimId = Guid.NewGuid();

        // The claim was committed first (Anna is among the affected), but its ShiftClaimed is processed second.
        await fixture.PublishAndWaitAsync(new ShiftChanged(moved, claimed.StartsAt, claimed.EndsAt, 3, 1, [anna.Id]));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, claimed));

        Assert.Equal(NewTimeReminders(moved.StartsAt), await fixture.RemindersAsync(claimId));
        Assert.Equal(2, await fixture.CountAsync("SELECT revision FROM claims WHERE claim_id = @p", claimId));

        var confirmation = Assert.Single(await fixture.MailsAsync(anna.Email, "Bestätigt"));
        var text = await fixture.Inbox.PlainTextAsync(confirmation.Id);
        Assert.Contains("Wann: Samstag, 6. Juli 2030, 14:00–16:00 Uhr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("10:00–12:00", text, StringComparison.Ordinal);
        var ics = await IcsAsync(confirmation);
        Assert.Equal((moved.StartsAt.UtcDateTime, 2), (ics.DtStart!.Value, ics.Sequence));
    }

    [Fact]
    public async Task An_older_change_processed_after_a_newer_one_changes_nothing()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start) with { Revision = 1 };
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        var first = shift with { StartsAt = Start.AddHours(2), EndsAt = shift.EndsAt.AddHours(2), Revision = 2 };
        var second = shift with { StartsAt = Start.AddHours(4), EndsAt = shift.EndsAt.AddHours(4), Revision = 3 };
        await fixture.PublishAndWaitAsync(new ShiftChanged(second, first.StartsAt, first.EndsAt, 3, 1, [anna.Id]));
        await fixture.PublishAndWaitAsync(new ShiftChanged(first, shift.StartsAt, shift.EndsAt, 3, 1, [anna.Id]));

        Assert.Equal(NewTimeReminders(second.StartsAt), await fixture.RemindersAsync(claimId));
        Assert.Equal(3, await fixture.CountAsync("SELECT revision FROM claims WHERE claim_id = @p", claimId));
        var changed = Assert.Single(await fixture.MailsAsync(anna.Email, "Geändert"));
        Assert.Contains("Samstag, 6. Juli 2030, 14:00–16:00 Uhr", await fixture.Inbox.PlainTextAsync(changed.Id), StringComparison.Ordinal);
        Assert.Single(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "shift-changed");
    }

    [Fact]
    public async Task A_reschedule_processed_after_a_later_change_of_the_shift_does_not_move_it_again()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start) with { Revision = 1 };
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        // The event moved a week (revision 2), then the shift two hours later that day (revision 3):
        // processed the other way round, the reschedule must not move the shift by its delta again.
        var week = TimeSpan.FromDays(7);
        var rescheduled = shift with { StartsAt = Start + week, EndsAt = shift.EndsAt + week, Revision = 2 };
        var patched = rescheduled with { StartsAt = rescheduled.StartsAt.AddHours(2), EndsAt = rescheduled.EndsAt.AddHours(2), Revision = 3 };
        await fixture.PublishAndWaitAsync(new ShiftChanged(patched, rescheduled.StartsAt, rescheduled.EndsAt, 3, 1, [anna.Id]));
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start, Start.AddHours(8),
            Start + week, Start.AddHours(8) + week, [anna.Id], [rescheduled]));

        Assert.Equal(NewTimeReminders(patched.StartsAt), await fixture.RemindersAsync(claimId));
        Assert.Equal(3, await fixture.CountAsync("SELECT revision FROM claims WHERE claim_id = @p", claimId));

        // The event's new date is still news; the shift it names is the newest known.
        var notice = Assert.Single(await fixture.MailsAsync(anna.Email, "Neuer Termin"));
        Assert.Contains("Deine Schicht „Infostand aufbauen“: Samstag, 13. Juli 2030, 12:00–14:00 Uhr",
            await fixture.Inbox.PlainTextAsync(notice.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_reschedule_processed_after_a_newer_one_changes_nothing()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start) with { Revision = 1 };
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        var week = TimeSpan.FromDays(7);
        var first = shift with { StartsAt = Start + week, EndsAt = shift.EndsAt + week, Revision = 2 };
        var second = shift with { StartsAt = Start + week + week, EndsAt = shift.EndsAt + week + week, Revision = 3 };
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start + week, Start.AddHours(8) + week,
            Start + week + week, Start.AddHours(8) + week + week, [anna.Id], [second]));
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start, Start.AddHours(8),
            Start + week, Start.AddHours(8) + week, [anna.Id], [first]));

        Assert.Equal(NewTimeReminders(second.StartsAt), await fixture.RemindersAsync(claimId));
        Assert.Single(await fixture.MailsAsync(anna.Email, "Neuer Termin"));
        Assert.Single(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "event-rescheduled");
    }

    [Fact]
    public async Task A_claim_processed_after_its_events_reschedule_is_reminded_at_the_new_time()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start);
        var week = TimeSpan.FromDays(7);
        var rescheduled = shift with { StartsAt = Start + week, EndsAt = shift.EndsAt + week, Revision = 1 };
        var claimId = Guid.NewGuid();

        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start, Start.AddHours(8),
            Start + week, Start.AddHours(8) + week, [anna.Id], [rescheduled]));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        Assert.Equal(NewTimeReminders(rescheduled.StartsAt), await fixture.RemindersAsync(claimId));
        var confirmation = Assert.Single(await fixture.MailsAsync(anna.Email, "Bestätigt"));
        Assert.Contains("Wann: Samstag, 13. Juli 2030, 10:00–12:00 Uhr", await fixture.Inbox.PlainTextAsync(confirmation.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postponement_processed_after_the_reschedule_that_ended_it_changes_nothing()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start) with { Revision = 1 };
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        var postponed = shift with { Revision = 2 };
        var week = TimeSpan.FromDays(7);
        var rescheduled = shift with { StartsAt = Start + week, EndsAt = shift.EndsAt + week, Revision = 3 };
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start, Start.AddHours(8),
            Start + week, Start.AddHours(8) + week, [anna.Id], [rescheduled]));
        await fixture.PublishAndWaitAsync(new EventPostponed(shift.EventId, org, shift.EventTitle, Start, "Sturmwarnung", [anna.Id], [postponed]));

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM claims WHERE claim_id = @p AND status = 'active'", claimId));
        Assert.Equal(NewTimeReminders(rescheduled.StartsAt), await fixture.RemindersAsync(claimId));
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "event-postponed");
        Assert.Contains(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "event-rescheduled");
    }

    [Fact]
    public async Task A_claim_processed_after_its_events_postponement_is_confirmed_and_reminded_only_once_the_event_has_a_date()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start);
        var claimId = Guid.NewGuid();

        await fixture.PublishAndWaitAsync(new EventPostponed(shift.EventId, org, shift.EventTitle, Start, null, [anna.Id], [shift with { Revision = 1 }]));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        Assert.Single(await fixture.MailsAsync(anna.Email, "Bestätigt"));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM claims WHERE claim_id = @p AND status = 'postponed'", claimId));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'pending'", claimId));

        var week = TimeSpan.FromDays(7);
        var rescheduled = shift with { StartsAt = Start + week, EndsAt = shift.EndsAt + week, Revision = 2 };
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, Start, Start.AddHours(8),
            Start + week, Start.AddHours(8) + week, [anna.Id], [rescheduled]));
        Assert.Equal(NewTimeReminders(rescheduled.StartsAt), await fixture.RemindersAsync(claimId));
    }

    [Fact]
    public async Task A_claim_processed_after_its_events_cancellation_is_not_confirmed_nor_reminded()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, Start);
        var claimId = Guid.NewGuid();

        await fixture.PublishAndWaitAsync(new EventCancelled(shift.EventId, org, shift.EventTitle, Start, null, [anna.Id], [shift with { Revision = 1 }]));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, anna.Id, shift));

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'pending'", claimId));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM claims WHERE claim_id = @p AND status = 'cancelled'", claimId));
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "claim-confirmed");
    }

    /// <summary>The default lead times (24 h and 2 h before) of a shift starting at <paramref name="startsAt"/>, pending.</summary>
    private static List<(TimeSpan Lead, DateTimeOffset DueAt, string Status)> NewTimeReminders(DateTimeOffset startsAt) =>
    [
        (TimeSpan.FromHours(2), NotificationsFixture.Stored(startsAt.AddHours(-2)), "pending"),
        (TimeSpan.FromHours(24), NotificationsFixture.Stored(startsAt.AddHours(-24)), "pending"),
    ];

    private async Task<Ical.Net.CalendarComponents.CalendarEvent> IcsAsync(ReceivedMail mail)
    {
        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        return Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!.Events);
    }
}
