using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Consent before membership, through the gateway with real mail: a sign-up of someone's address
/// shows up nowhere until they click the link in the mail, the welcome comes after the click, and
/// leaving or being removed is told by mail.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class ConsentTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_stranger_signing_up_your_address_enrols_nobody_until_you_click_and_the_welcome_comes_after()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "KV Einwilligung", timeZone = "Europe/Berlin" }));
        var coordinatorEmail = $"coord-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(admin, org, new { name = "Carla", email = coordinatorEmail, role = "coordinator" }, coordinatorEmail);
        using var coordinator = await system.LogInAsync(coordinatorEmail);
        var email = $"victim-{Guid.NewGuid():N}@example.org";

        await Http.ExpectAsync(HttpStatusCode.Accepted, await system.Gateway.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Vera", email, locale = "de" }));

        var mail = Assert.Single(await system.Inbox.WaitForMailsToAsync(email));
        Assert.Equal("Bestätigen: KV Einwilligung bei Shifts beitreten?", mail.Subject);
        var text = await system.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("Jemand hat sich mit dieser Adresse bei Shifts für KV Einwilligung angemeldet", text, StringComparison.Ordinal);
        Assert.Contains("ignoriere diese Mail einfach. Es passiert nichts", text, StringComparison.Ordinal);
        var members = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/orgs/{org}/members"));
        Assert.DoesNotContain(email, members.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var invitations = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/orgs/{org}/members/invitations"));
        Assert.DoesNotContain(email, invitations.GetRawText(), StringComparison.OrdinalIgnoreCase);
        // No login link went out either: the address belongs to nobody yet.
        await Http.ExpectAsync(HttpStatusCode.Accepted, await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email }));
        await Task.Delay(1000);
        Assert.Single(await system.Inbox.MailsToAsync(email));

        var confirmed = await system.ConfirmMembershipAsync(email);

        Assert.Equal(org, confirmed.GetProperty("org").GetString());
        Assert.Equal("helper", confirmed.GetProperty("role").GetString());
        members = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/orgs/{org}/members"));
        Assert.Contains(email, members.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var welcome = (await system.Inbox.WaitForMailsToAsync(email, 2)).Where(m => m.Subject.StartsWith("Willkommen", StringComparison.Ordinal)).ToList();
        Assert.Single(welcome);
    }

    [Fact]
    public async Task A_removed_member_and_one_who_leaves_are_told_by_mail()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "KV Abschied", timeZone = "Europe/Berlin" }));
        var coordinatorEmail = $"coord-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(admin, org, new { name = "Carla", email = coordinatorEmail, role = "coordinator" }, coordinatorEmail);
        using var coordinator = await system.LogInAsync(coordinatorEmail);
        var removedEmail = $"removed-{Guid.NewGuid():N}@example.org";
        var removedId = await system.AddMemberAsync(coordinator, org, new { name = "Rolf", email = removedEmail, locale = "de" }, removedEmail);
        var leavingEmail = $"leaving-{Guid.NewGuid():N}@example.org";
        using var leaving = await system.SignUpAsync(org, "Lisa", leavingEmail, "en");

        await Http.ExpectAsync(HttpStatusCode.NoContent, await coordinator.DeleteAsync($"/api/orgs/{org}/members/{removedId}"));
        await Http.ExpectAsync(HttpStatusCode.NoContent, await leaving.DeleteAsync($"/api/orgs/{org}/members/me"));

        var removedMail = await MailAsync(removedEmail, "Du bist nicht mehr Mitglied von KV Abschied");
        Assert.Contains("die Koordination von KV Abschied hat dich bei Shifts aus der Organisation", await system.Inbox.PlainTextAsync(removedMail.Id), StringComparison.Ordinal);
        var leftMail = await MailAsync(leavingEmail, "You have left KV Abschied");
        Assert.Contains("you have left KV Abschied on Shifts", await system.Inbox.PlainTextAsync(leftMail.Id), StringComparison.Ordinal);
        var members = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/orgs/{org}/members"));
        Assert.DoesNotContain(removedEmail, members.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(leavingEmail, members.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Shifts.Testing.ReceivedMail> MailAsync(string email, string subject)
    {
        var found = await Eventually.Async(
            async () => (await system.Inbox.MailsToAsync(email)).Where(m => m.Subject == subject).ToList() is { Count: > 0 } mails ? mails : null,
            TimeSpan.FromSeconds(30),
            $"a mail '{subject}' to {email}");
        return Assert.Single(found);
    }
}
