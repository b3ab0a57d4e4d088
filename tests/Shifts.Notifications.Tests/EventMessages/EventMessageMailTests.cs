using MimeKit;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.EventMessages;

/// <summary>
/// A coordinator's message to an event's people: one mail per recipient the service knows, in their
/// language, "{event}: {subject}", the words encoded in the HTML, signed; once per message.
/// </summary>
[Collection(nameof(NotificationsCollection))]
public sealed class EventMessageMailTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task Every_known_recipient_gets_one_mail_in_their_language_with_the_words_encoded_and_signed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var anna = await fixture.CreateVolunteerAsync("de");
        var ben = await fixture.CreateVolunteerAsync("en");
        var unknown = Guid.NewGuid(); // never registered here: skipped, the others still get theirs
        var eventId = Guid.NewGuid();
        var message = Message(org, eventId, "Treffpunkt <geändert> & neu", "Wir treffen uns an der <b>Tram</b> & nicht am Wehr.\nBis Samstag!",
            anna.Id, ben.Id, unknown, anna.Id);

        await fixture.PublishAsync(message);

        var german = Assert.Single(await fixture.MailsAsync(anna.Email, "Sommerfest am Weserwehr:"));
        Assert.Equal("Sommerfest am Weserwehr: Treffpunkt <geändert> & neu", german.Subject);
        var text = (await fixture.Inbox.PlainTextAsync(german.Id)).ReplaceLineEndings("\n");
        Assert.Contains($"Hallo {anna.Name},", text, StringComparison.Ordinal);
        Assert.Contains("Carla Coordinator von Ortsverein", text, StringComparison.Ordinal);
        Assert.Contains("Wir treffen uns an der <b>Tram</b> & nicht am Wehr.\nBis Samstag!", text, StringComparison.Ordinal);
        Assert.Contains("Viele Grüße\nCarla Coordinator", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.PublicBaseUrl}/events/{eventId}", text, StringComparison.Ordinal);

        var html = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(german.Id))).HtmlBody!;
        Assert.DoesNotContain("<b>Tram</b>", html, StringComparison.Ordinal);
        Assert.Contains("Wir treffen uns an der &lt;b&gt;Tram&lt;/b&gt; &amp; nicht am Wehr.<br>Bis Samstag!", html, StringComparison.Ordinal);
        Assert.Contains("Treffpunkt &lt;geändert&gt; &amp; neu", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<geändert>", html, StringComparison.Ordinal);

        var english = Assert.Single(await fixture.MailsAsync(ben.Email, "Sommerfest am Weserwehr:"));
        var englishText = (await fixture.Inbox.PlainTextAsync(english.Id)).ReplaceLineEndings("\n");
        Assert.Contains($"Hello {ben.Name},", englishText, StringComparison.Ordinal);
        Assert.Contains("Carla Coordinator from Ortsverein", englishText, StringComparison.Ordinal);
        Assert.Contains("Best wishes,\nCarla Coordinator", englishText, StringComparison.Ordinal);

        // In the delivery log, under the organisation; one row per person (Anna was named twice).
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE kind = 'event-message' AND org = @p AND status = 'sent'", org, 2);
        Assert.Equal([("event-message", "sent")], await fixture.DeliveriesToAsync(anna.Id));
        Assert.Equal([("event-message", "sent")], await fixture.DeliveriesToAsync(ben.Id));
        Assert.Empty(await fixture.DeliveriesToAsync(unknown));
    }

    [Fact]
    public async Task A_redelivered_or_republished_message_is_mailed_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var message = Message(org, Guid.NewGuid(), "Getränke", "Bitte bringt Wasser mit.", helper.Id);

        var messageId = await fixture.PublishAndWaitAsync(message);
        await fixture.PublishAsync(message, messageId); // redelivered
        await fixture.Logs.WaitForAsync(line => line.Contains("Skipped duplicate EventMessagePosted", StringComparison.Ordinal)
                                                && line.Contains(messageId.ToString(), StringComparison.Ordinal));
        await fixture.PublishAndWaitAsync(message); // published again, with a new message id

        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent'", helper.Id, 1);
        Assert.Equal([("event-message", "sent")], await fixture.DeliveriesToAsync(helper.Id));
        // The one delivery row is sent; smtp4dev may list its mail a moment later.
        Assert.Single(await fixture.MailsAsync(helper.Email, "Sommerfest am Weserwehr: Getränke"));
    }

    [Fact]
    public async Task An_erased_recipient_is_not_mailed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        await fixture.PublishAndWaitAsync(new VolunteerErased(helper.Id));

        await fixture.PublishAndWaitAsync(Message(org, Guid.NewGuid(), "Hallo", "Danke!", helper.Id));

        Assert.Empty(await fixture.DeliveriesToAsync(helper.Id));
    }

    private static EventMessagePosted Message(string org, Guid eventId, string subject, string body, params Guid[] volunteerIds) =>
        new(Guid.NewGuid(), org, eventId, "Sommerfest am Weserwehr", Guid.NewGuid(), "Carla Coordinator", subject, body, volunteerIds);
}
