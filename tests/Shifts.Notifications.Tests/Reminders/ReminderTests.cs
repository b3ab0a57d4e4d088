using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Reminders;

/// <summary>
/// Reminders with the service's clock in the test's hand (FakeTimeProvider): each goes out at its
/// lead time, once; none after the start; none for a cancelled claim; moved with the shift; moved
/// earlier out of quiet hours.
/// </summary>
[Collection(nameof(ClockCollection))]
public sealed class ReminderTests(ClockFixture fixture)
{
    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task Reminders_go_out_at_each_lead_time_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var startsAt = Clock.GetUtcNow().AddDays(3);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, startsAt)));
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'pending'", claimId));

        await MoveClockToAsync(startsAt.AddHours(-24).AddMinutes(-1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.MailsAsync(helper.Email, "Erinnerung", timeout: TimeSpan.Zero));

        await MoveClockToAsync(startsAt.AddHours(-24).AddSeconds(1));
        var first = Assert.Single(await fixture.MailsAsync(helper.Email, "Erinnerung"));
        Assert.Contains("Wo: Weserwehr, Am Weserwehr 1, Bremen", await fixture.Inbox.PlainTextAsync(first.Id), StringComparison.Ordinal);

        await MoveClockToAsync(startsAt.AddHours(-2).AddSeconds(1));
        Assert.Equal(2, (await fixture.MailsAsync(helper.Email, "Erinnerung", 2)).Count);

        await MoveClockToAsync(startsAt.AddHours(1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await fixture.MailsAsync(helper.Email, "Erinnerung", timeout: TimeSpan.Zero)).Count);
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'done'", claimId));
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND kind = 'reminder'", helper.Id));
    }

    [Fact]
    public async Task No_reminder_goes_out_once_the_shift_has_started()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("en");
        var startsAt = Clock.GetUtcNow().AddDays(2);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, startsAt)));

        // The scheduler was away past both lead times and the start (a long outage): nothing is sent late.
        await MoveClockToAsync(startsAt.AddMinutes(5));
        await fixture.WaitUntilAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'skipped'", claimId, 2);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND kind = 'reminder'", helper.Id));
    }

    [Fact]
    public async Task A_claim_made_shortly_before_the_start_gets_no_reminder_in_the_past()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("en");
        var claimId = Guid.NewGuid();

        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, Clock.GetUtcNow().AddMinutes(90))));

        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'skipped'", claimId));
    }

    [Fact]
    public async Task A_cancelled_claims_reminders_never_go_out()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var startsAt = Clock.GetUtcNow().AddDays(3);
        var shift = NotificationsFixture.Shift(org, startsAt);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        await fixture.PublishAndWaitAsync(new ClaimCancelled(claimId, helper.Id, "self", shift));
        await MoveClockToAsync(startsAt.AddHours(-24).AddMinutes(1));
        await MoveClockToAsync(startsAt.AddHours(-2).AddMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'cancelled'", claimId));
        // Written at the same instant of the stopped clock, so compared as a set.
        Assert.Equal(["claim-cancelled", "claim-confirmed"], (await fixture.DeliveriesToAsync(helper.Id)).Select(d => d.Kind).Order());
    }

    [Fact]
    public async Task A_changed_shifts_reminders_move_with_it()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var oldStart = Clock.GetUtcNow().AddDays(3);
        var shift = NotificationsFixture.Shift(org, oldStart);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        var moved = shift with { StartsAt = oldStart.AddDays(1), EndsAt = shift.EndsAt.AddDays(1), Revision = shift.Revision + 1 };
        await fixture.PublishAndWaitAsync(new ShiftChanged(moved, shift.StartsAt, shift.EndsAt, 3, 1, [helper.Id]));
        Assert.Single(await fixture.MailsAsync(helper.Email, "Geändert"));

        // The old reminder time passes quietly; the new one brings the reminder, with the new time.
        await MoveClockToAsync(oldStart.AddHours(-24).AddMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.MailsAsync(helper.Email, "Erinnerung", timeout: TimeSpan.Zero));
        await MoveClockToAsync(moved.StartsAt.AddHours(-24).AddMinutes(1));
        var reminder = Assert.Single(await fixture.MailsAsync(helper.Email, "Erinnerung"));
        var expected = Mail.LocalTimesFor(moved.StartsAt);
        Assert.Contains(expected, await fixture.Inbox.PlainTextAsync(reminder.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rescheduled_events_reminders_move_by_the_same_amount()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("en");
        var oldStart = Clock.GetUtcNow().AddDays(3);
        var shift = NotificationsFixture.Shift(org, oldStart.AddHours(1));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        var delta = TimeSpan.FromDays(7);
        await fixture.PublishAndWaitAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, oldStart, oldStart.AddHours(6),
            oldStart + delta, oldStart.AddHours(6) + delta, [helper.Id]));

        var newStart = shift.StartsAt + delta;
        Assert.Equal(
            [(TimeSpan.FromHours(2), NotificationsFixture.Stored(newStart.AddHours(-2)), "pending"), (TimeSpan.FromHours(24), NotificationsFixture.Stored(newStart.AddHours(-24)), "pending")],
            await fixture.RemindersAsync(claimId));
        Assert.Single(await fixture.MailsAsync(helper.Email, "New date"));
        await MoveClockToAsync(shift.StartsAt.AddHours(-24).AddMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.MailsAsync(helper.Email, "Reminder", timeout: TimeSpan.Zero));
        await MoveClockToAsync((shift.StartsAt + delta).AddHours(-24).AddMinutes(1));
        Assert.Single(await fixture.MailsAsync(helper.Email, "Reminder"));
    }

    [Fact]
    public async Task Quiet_hours_move_a_reminder_earlier()
    {
        // Quiet 22:00–08:00 Berlin time; a shift at 09:00 with a 2 h lead would remind at 07:00: it comes at 21:59 the evening before.
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var helper = await fixture.CreateVolunteerAsync("de", new NotificationPreferences(true, [TimeSpan.FromHours(2)], "22:00", "08:00"));
        var day = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Date.AddDays(3);
        var startsAt = NotificationsFixture.Local(day.AddHours(9));
        var expectedDue = NotificationsFixture.Local(day.AddDays(-1).AddHours(21).AddMinutes(59));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, startsAt)));

        Assert.Equal([(TimeSpan.FromHours(2), expectedDue, "pending")], await fixture.RemindersAsync(claimId));
        await MoveClockToAsync(expectedDue.AddMinutes(-1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.MailsAsync(helper.Email, "Erinnerung", timeout: TimeSpan.Zero));
        await MoveClockToAsync(expectedDue.AddSeconds(1));
        Assert.Single(await fixture.MailsAsync(helper.Email, "Erinnerung"));
    }

    [Fact]
    public async Task With_email_reminders_off_reminders_are_suppressed_but_the_confirmation_still_goes()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de", new NotificationPreferences(false, [TimeSpan.FromHours(24)], null, null));
        var startsAt = Clock.GetUtcNow().AddDays(3);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, startsAt)));
        Assert.Single(await fixture.MailsAsync(helper.Email, "Bestätigt"));

        await MoveClockToAsync(startsAt.AddHours(-24).AddMinutes(1));
        await fixture.WaitUntilAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'done'", claimId, 1);

        var deliveries = await fixture.DeliveriesToAsync(helper.Id);
        Assert.Contains(("reminder", "suppressed"), deliveries);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.MailsAsync(helper.Email, "Erinnerung", timeout: TimeSpan.Zero));
    }

    [Fact]
    public async Task New_lead_times_apply_to_shifts_already_claimed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var startsAt = Clock.GetUtcNow().AddDays(3);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, startsAt)));

        await fixture.PublishAndWaitAsync(new VolunteerProfileChanged(helper.Id, helper.Name, helper.Email, "de",
            new NotificationPreferences(true, [TimeSpan.FromHours(48)], null, null)));

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'pending' AND lead = interval '48 hours'", claimId));
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'cancelled'", claimId));
    }

    /// <summary>Moves the service's clock forward (never back: other tests' reminders share it).</summary>
    private Task MoveClockToAsync(DateTimeOffset instant)
    {
        if (instant > Clock.GetUtcNow())
        {
            Clock.SetUtcNow(instant);
        }

        return Task.CompletedTask;
    }

    private static class Mail
    {
        public static string LocalTimesFor(DateTimeOffset instant) =>
            Notifications.Mail.LocalTimes.Instant(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), "de").Replace(" Uhr", "", StringComparison.Ordinal);
    }
}
