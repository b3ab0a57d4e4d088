using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Welcome;

[Collection(nameof(NotificationsCollection))]
public sealed class LoginLinkTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_login_link_is_mailed_in_the_persons_language_and_never_kept_after_sending()
    {
        var id = Guid.NewGuid();
        var email = $"login-{id:N}@notifications.test";
        var link = new Uri($"{NotificationsFixture.PublicBaseUrl}/login?token=abc");

        await fixture.PublishAsync(new LoginLinkRequested(id, email, "Anna", "de", link, DateTimeOffset.UtcNow.AddMinutes(15)));

        var mail = Assert.Single(await fixture.MailsAsync(email, "Anmeldelink"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains(link.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.Contains("Er gilt 15 Minuten", text, StringComparison.Ordinal);
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent' AND body_text IS NULL AND body_html IS NULL", id, 1);
    }
}
