using Ical.Net;
using MimeKit;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Confirmations;

/// <summary>A coordinator put a person on a shift (ShiftClaimed with AssignedBy): the confirmation says who, with the .ics and the usual reminders.</summary>
[Collection(nameof(NotificationsCollection))]
public sealed class AssignedConfirmationTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task An_assigned_place_is_confirmed_in_German_naming_the_coordinator_with_a_calendar_entry_and_reminders()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var carla = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var helper = await fixture.CreateVolunteerAsync("de", org: org);
        var startsAt = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0));
        var shift = NotificationsFixture.Shift(org, startsAt, TimeSpan.FromHours(3));
        var claimId = Guid.NewGuid();

        await fixture.PublishAsync(new ShiftClaimed(claimId, helper.Id, shift, AssignedBy: carla.Id));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Eingeteilt"));
        Assert.Equal("Eingeteilt: Infostand aufbauen – Sommerfest am Weserwehr", mail.Subject);
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains($"Hallo {helper.Name},", text, StringComparison.Ordinal);
        Assert.Contains($"{carla.Name} hat dich für diese Schicht eingeteilt.", text, StringComparison.Ordinal);
        Assert.Contains("Wann: Samstag, 15. Juni 2030, 10:00–13:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.PublicBaseUrl}/shifts/{shift.ShiftId}", text, StringComparison.Ordinal);

        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        Assert.Contains($"{carla.Name} hat dich für diese Schicht eingeteilt.", message.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("shift.ics", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        var vevent = Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!.Events);
        Assert.Equal($"{claimId}@shifts", vevent.Uid);
        Assert.Equal(startsAt.UtcDateTime, vevent.DtStart!.Value);

        // The reminders of any claim: a day and two hours before (the default lead times).
        Assert.Equal(
            [(TimeSpan.FromHours(2), NotificationsFixture.Stored(startsAt.AddHours(-2)), "pending"), (TimeSpan.FromHours(24), NotificationsFixture.Stored(startsAt.AddHours(-24)), "pending")],
            await fixture.RemindersAsync(claimId));
        Assert.Equal([("claim-assigned", "sent")], await WaitSentAsync(helper.Id));
    }

    [Fact]
    public async Task An_English_speaker_reads_who_put_them_on_the_shift_and_an_unknown_coordinator_is_the_coordinators()
    {
        var org = await fixture.CreateOrganisationAsync();
        var carla = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var helper = await fixture.CreateVolunteerAsync("en", org: org);

        await fixture.PublishAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10)), carla.Id));
        await fixture.PublishAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id,
            NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(12), title: "Abbau"), AssignedBy: Guid.NewGuid()));

        var mails = await fixture.MailsAsync(helper.Email, "You're on the rota", count: 2);
        Assert.Equal(2, mails.Count);
        var texts = await Task.WhenAll(mails.Select(m => fixture.Inbox.PlainTextAsync(m.Id)));
        Assert.Single(texts, t => t.Contains($"{carla.Name} put you on this shift. Thank you for helping!", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("A coordinator of Ortsverein", StringComparison.Ordinal) && t.Contains("put you on this shift", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_assignment_is_confirmed_once_and_a_coordinator_who_took_a_place_themselves_gets_the_usual_confirmation()
    {
        var org = await fixture.CreateOrganisationAsync();
        var carla = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var helper = await fixture.CreateVolunteerAsync("de", org: org);
        var assigned = new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10)), carla.Id);

        var messageId = await fixture.PublishAndWaitAsync(assigned);
        await fixture.PublishAndWaitAsync(assigned, messageId);
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), carla.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(11)), carla.Id));

        Assert.Equal([("claim-assigned", "sent")], await WaitSentAsync(helper.Id));
        Assert.Equal([("claim-confirmed", "sent")], await WaitSentAsync(carla.Id));
    }

    /// <summary>The person's deliveries once one about a claim was sent, without the welcome mail a membership brings.</summary>
    private async Task<IReadOnlyList<(string Kind, string Status)>> WaitSentAsync(Guid volunteerId)
    {
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND kind LIKE 'claim-%' AND status = 'sent'", volunteerId, 1);
        return (await fixture.DeliveriesToAsync(volunteerId)).Where(d => d.Kind != "welcome").ToList();
    }
}
