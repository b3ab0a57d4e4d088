using MimeKit;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Invitations;

/// <summary>
/// A coordinator's invitation to a shift: one mail in the person's language with the shift, the
/// coordinator's words (encoded in the HTML), the expiry and the two answer links; once per invitation.
/// </summary>
[Collection(nameof(NotificationsCollection))]
public sealed class InvitationMailTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_German_member_is_asked_in_German_with_the_shift_the_coordinators_words_and_both_answer_links()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var helper = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0)), TimeSpan.FromHours(3));
        var token = Token();
        var invitation = Invitation(helper, shift, token, "Wir brauchen <b>dich</b> & deine Ruhe.\nBring Handschuhe mit!");

        await fixture.PublishAsync(invitation);

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Magst du helfen?"));
        Assert.Equal("Magst du helfen? Infostand aufbauen – Sommerfest am Weserwehr", mail.Subject);
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains($"Hallo {helper.Name},", text, StringComparison.Ordinal);
        Assert.Contains("Carla Coordinator von Ortsverein", text, StringComparison.Ordinal);
        Assert.Contains("Wann: Samstag, 15. Juni 2030, 10:00–13:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains("Wo: Weserwehr, Am Weserwehr 1, Bremen", text, StringComparison.Ordinal);
        Assert.Contains("Carla Coordinator schreibt dazu:", text, StringComparison.Ordinal);
        Assert.Contains("Wir brauchen <b>dich</b> & deine Ruhe.\nBring Handschuhe mit!", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"Ich übernehme das: {NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=accept", text, StringComparison.Ordinal);
        Assert.Contains($"Diesmal nicht: {NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=decline", text, StringComparison.Ordinal);
        Assert.Contains("Die Einladung gilt bis Samstag, 15. Juni 2030, 10:00 Uhr.", text, StringComparison.Ordinal);

        var message = MimeMessage.Load(new MemoryStream(await fixture.Inbox.RawAsync(mail.Id)));
        var html = message.HtmlBody!;
        Assert.DoesNotContain("<b>dich</b>", html, StringComparison.Ordinal);
        Assert.Contains("Wir brauchen &lt;b&gt;dich&lt;/b&gt; &amp; deine Ruhe.<br>Bring Handschuhe mit!", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=accept\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=decline\"", html, StringComparison.Ordinal);
        Assert.Contains(">Ich übernehme das</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Diesmal nicht</a>", html, StringComparison.Ordinal);
        Assert.Empty(message.Attachments);

        // In the delivery log, under the organisation, as every other mail about a shift.
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE kind = 'shift-invitation' AND org = @p AND status = 'sent'", org, 1);
    }

    [Fact]
    public async Task An_English_speaker_is_asked_in_English_and_an_invitation_without_words_says_none()
    {
        var org = await fixture.CreateOrganisationAsync("America/New_York");
        var helper = await fixture.CreateVolunteerAsync("en");
        var startsAt = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0), "America/New_York");
        var shift = NotificationsFixture.Shift(org, startsAt);
        var token = Token();

        await fixture.PublishAsync(Invitation(helper, shift, token, message: "   ") with { ExpiresAt = startsAt.AddHours(-2) });

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Can you help?"));
        Assert.Equal("Can you help? Infostand aufbauen – Sommerfest am Weserwehr", mail.Subject);
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("Carla Coordinator from Ortsverein", text, StringComparison.Ordinal);
        Assert.Contains("When: Saturday, 15 June 2030, 10:00–12:00", text, StringComparison.Ordinal);
        Assert.Contains($"I'll take it: {NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=accept", text, StringComparison.Ordinal);
        Assert.Contains($"Not this time: {NotificationsFixture.PublicBaseUrl}/invitations/{token}?answer=decline", text, StringComparison.Ordinal);
        Assert.Contains("The invitation is open until Saturday, 15 June 2030, 08:00.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("writes:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_or_republished_invitation_is_mailed_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var invitation = Invitation(helper, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(10)), Token());

        var messageId = await fixture.PublishAndWaitAsync(invitation);
        await fixture.PublishAsync(invitation, messageId); // redelivered
        await fixture.Logs.WaitForAsync(line => line.Contains("Skipped duplicate ShiftInvitationSent", StringComparison.Ordinal)
                                                && line.Contains(messageId.ToString(), StringComparison.Ordinal));
        await fixture.PublishAndWaitAsync(invitation); // published again, with a new message id

        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent'", helper.Id, 1);
        Assert.Equal([("shift-invitation", "sent")], await fixture.DeliveriesToAsync(helper.Id));
        // The one delivery row is sent; smtp4dev may list its mail a moment later.
        Assert.Single(await fixture.MailsAsync(helper.Email, "Magst du helfen?"));
    }

    [Fact]
    public async Task An_invitation_that_lapsed_before_it_could_be_mailed_is_recorded_but_not_sent()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var invitation = Invitation(helper, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(1)), Token())
            with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        await fixture.PublishAndWaitAsync(invitation);

        Assert.Equal([("shift-invitation", "suppressed")], await fixture.DeliveriesToAsync(helper.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND body_text IS NOT NULL", helper.Id));
    }

    [Fact]
    public async Task An_erased_member_is_not_mailed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        await fixture.PublishAndWaitAsync(new VolunteerErased(helper.Id));

        await fixture.PublishAndWaitAsync(Invitation(helper, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(3)), Token()));

        Assert.Empty(await fixture.DeliveriesToAsync(helper.Id));
    }

    /// <summary>A URL-safe opaque token as the events service makes them.</summary>
    private static string Token() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ShiftInvitationSent Invitation(Volunteer helper, ShiftDetails shift, string token, string? message = null) =>
        new(Guid.NewGuid(), helper.Id, Guid.NewGuid(), "Carla Coordinator", message, token, shift.StartsAt, shift);
}
