using Ical.Net;
using MimeKit;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Notifications.Tests.Changes;

/// <summary>
/// A shift's place changed (its event's location): the people on it read the old and the new
/// place, and the mail's .ics has the confirmation's UID and a higher SEQUENCE, so calendars move the entry.
/// </summary>
[Collection(nameof(NotificationsCollection))]
public sealed class PlaceChangeTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_new_place_is_told_with_the_old_one_and_an_ics_that_replaces_the_confirmations_entry()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, NotificationsFixture.Local(new DateTime(2030, 7, 6, 10, 0, 0))) with { Revision = 2 };
        var claimId = Guid.NewGuid();
        await fixture.PublishAsync(new ShiftClaimed(claimId, anna.Id, shift));
        var confirmation = await IcsAsync(Assert.Single(await fixture.MailsAsync(anna.Email, "Bestätigt")));

        var moved = shift with { LocationName = "Straßenbahnhaltestelle Domsheide", LocationAddress = null, Revision = 3 };
        await fixture.PublishAsync(new ShiftChanged(moved, shift.StartsAt, shift.EndsAt, 3, 1, [anna.Id], shift.LocationName, shift.LocationAddress));

        var mail = Assert.Single(await fixture.MailsAsync(anna.Email, "Geändert"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("Wann: Samstag, 6. Juli 2030, 10:00–12:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains("Bisheriger Ort: Weserwehr, Am Weserwehr 1, Bremen", text, StringComparison.Ordinal);
        Assert.Contains("Neuer Ort: Straßenbahnhaltestelle Domsheide", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bisher:", text, StringComparison.Ordinal);

        var update = await IcsAsync(mail);
        Assert.Equal($"{claimId}@shifts", update.Uid);
        Assert.Equal(confirmation.Uid, update.Uid);
        Assert.Equal(2, confirmation.Sequence);
        Assert.True(update.Sequence > confirmation.Sequence, $"SEQUENCE {update.Sequence} after {confirmation.Sequence}");
        Assert.Equal("Straßenbahnhaltestelle Domsheide", update.Location);
        Assert.Equal(shift.StartsAt.UtcDateTime, update.DtStart!.Value);
    }

    [Fact]
    public async Task A_new_time_is_told_as_before_with_the_place_unchanged_and_an_updated_ics()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var ben = await fixture.CreateVolunteerAsync("en");
        var shift = NotificationsFixture.Shift(org, NotificationsFixture.Local(new DateTime(2030, 7, 13, 10, 0, 0)));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, ben.Id, shift));

        var later = shift with { StartsAt = shift.StartsAt.AddHours(2), EndsAt = shift.EndsAt.AddHours(2), Revision = 1 };
        await fixture.PublishAsync(new ShiftChanged(later, shift.StartsAt, shift.EndsAt, 3, 1, [ben.Id]));

        var mail = Assert.Single(await fixture.MailsAsync(ben.Email, "Changed"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("Before: Saturday, 13 July 2030, 10:00–12:00", text, StringComparison.Ordinal);
        Assert.Contains("Now: Saturday, 13 July 2030, 12:00–14:00", text, StringComparison.Ordinal);
        Assert.Contains("Where: Weserwehr, Am Weserwehr 1, Bremen", text, StringComparison.Ordinal);
        var update = await IcsAsync(mail);
        Assert.Equal(($"{claimId}@shifts", 1), (update.Uid, update.Sequence));
        Assert.Equal(later.StartsAt.UtcDateTime, update.DtStart!.Value);
    }

    private async Task<Ical.Net.CalendarComponents.CalendarEvent> IcsAsync(ReceivedMail mail)
    {
        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("shift.ics", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        return Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!.Events);
    }
}
