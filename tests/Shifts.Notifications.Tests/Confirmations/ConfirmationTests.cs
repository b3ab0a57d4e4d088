using Ical.Net;
using MimeKit;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Confirmations;

[Collection(nameof(NotificationsCollection))]
public sealed class ConfirmationTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_claim_gets_one_confirmation_in_the_helpers_language_with_the_local_time_and_a_valid_ics()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var helper = await fixture.CreateVolunteerAsync("de");
        var startsAt = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0)); // a Saturday, 08:00 UTC
        var shift = NotificationsFixture.Shift(org, startsAt, TimeSpan.FromHours(3));
        var claimId = Guid.NewGuid();

        await fixture.PublishAsync(new ShiftClaimed(claimId, helper.Id, shift));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Bestätigt"));
        Assert.Equal("Bestätigt: Infostand aufbauen – Sommerfest am Weserwehr", mail.Subject);
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains($"Hallo {helper.Name},", text, StringComparison.Ordinal);
        Assert.Contains("Wann: Samstag, 15. Juni 2030, 10:00–13:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains("Wo: Weserwehr, Am Weserwehr 1, Bremen", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.PublicBaseUrl}/shifts/{shift.ShiftId}", text, StringComparison.Ordinal);

        // The raw message: plain text and HTML alternatives, and the .ics as an attachment.
        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        Assert.NotNull(message.HtmlBody);
        Assert.Contains("10:00–13:00 Uhr", message.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("shift.ics", attachment.FileName);
        Assert.Equal("text/calendar", attachment.ContentType.MimeType);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        var calendar = Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!;
        var vevent = Assert.Single(calendar.Events);
        Assert.Equal($"{claimId}@shifts", vevent.Uid);
        Assert.True(vevent.DtStart!.IsUtc);
        Assert.Equal(startsAt.UtcDateTime, vevent.DtStart.Value);
        Assert.Equal(startsAt.AddHours(3).UtcDateTime, vevent.DtEnd!.Value);
        Assert.Equal("Sommerfest am Weserwehr – Infostand aufbauen", vevent.Summary);
        Assert.Equal("Weserwehr, Am Weserwehr 1, Bremen", vevent.Location);
    }

    [Fact]
    public async Task An_English_speaker_reads_English_with_times_in_the_organisations_own_zone()
    {
        var org = await fixture.CreateOrganisationAsync("America/New_York");
        var helper = await fixture.CreateVolunteerAsync("en");
        var startsAt = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0), "America/New_York");

        await fixture.PublishAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, startsAt)));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Confirmed"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("When: Saturday, 15 June 2030, 10:00–12:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_helper_promoted_from_the_waitlist_is_told_they_are_in_with_a_calendar_entry()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("en");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10));

        await fixture.PublishAsync(new WaitlistPromoted(Guid.NewGuid(), helper.Id, shift));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "You're in"));
        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        Assert.Single(message.Attachments);
    }

    [Theory]
    [InlineData("self", "du hast dich aus dieser Schicht ausgetragen")]
    [InlineData("coordinator", "die Koordination hat dich aus dieser Schicht ausgetragen")]
    [InlineData("late", "die Koordination hat dich aus dieser Schicht ausgetragen")]
    [InlineData("reschedule-conflict", "überschneidet sich jetzt mit einer anderen Schicht von dir")]
    public async Task A_cancelled_claim_is_confirmed_with_the_reason(string reason, string sentence)
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        await fixture.PublishAsync(new ClaimCancelled(claimId, helper.Id, reason, shift));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Ausgetragen"));
        Assert.Contains(sentence, await fixture.Inbox.PlainTextAsync(mail.Id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("event-cancelled")]
    [InlineData("shift-cancelled")]
    public async Task A_claim_released_by_a_cancellation_is_told_by_the_cancellation_notice_alone(string reason)
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        await fixture.PublishAndWaitAsync(new ClaimCancelled(claimId, helper.Id, reason, shift));

        Assert.Equal([("claim-confirmed", "sent")], (await WaitSentAsync(helper.Id, 1)).Select(d => (d.Kind, d.Status)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p AND status = 'pending'", claimId));
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_its_claim_leaves_no_confirmation_and_no_reminders()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10));
        var claimId = Guid.NewGuid();

        await fixture.PublishAndWaitAsync(new ClaimCancelled(claimId, helper.Id, "self", shift));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));

        Assert.Equal(["claim-cancelled"], (await fixture.DeliveriesToAsync(helper.Id)).Select(d => d.Kind));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p", claimId));
    }

    private async Task<IReadOnlyList<(string Kind, string Status)>> WaitSentAsync(Guid volunteerId, int count)
    {
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent'", volunteerId, count);
        return await fixture.DeliveriesToAsync(volunteerId);
    }
}
