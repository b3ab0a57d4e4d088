using System.Net;
using System.Net.Http.Json;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The profile page (/me) as a browser without JavaScript uses it, through the gateway: its three
/// forms — the profile, the address change, leaving an organisation — each post on their own and
/// answer in words, and what they change is what the API then says.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class ProfilePageTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_helper_saves_the_profile_asks_for_a_new_address_and_leaves_one_of_two_organisations_after_being_asked()
    {
        var (first, second) = (await NewOrganisationAsync("Kreisverband Mitte/Ost"), await NewOrganisationAsync("Kreisverband Nord"));
        var email = $"hana-{Guid.NewGuid():N}@example.org";
        using var api = await system.SignUpAsync(first, "Hana", email);
        using (var admin = await system.LogInAsync(system.AdminEmail))
        {
            await system.AddMemberAsync(admin, second, new { name = "Hana", email, role = "helper" }, email);
        }

        using var browser = new WebSession.WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, email);

        // The profile: a new name and phone number, mail on, one reminder a day ahead.
        var page = await browser.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var saved = await browser.SubmitAsync("/me", page.Form("profile"),
            ("Name", "Hana Berger"), ("Phone", "+49 421 1234567"), ("Locale", "de"), ("MailOn", "true"), ("lead", "PT24H"));
        Assert.True(saved.Status == HttpStatusCode.Redirect && browser.IsHere(saved.Location, "/me?saved=1"), $"saving answered {(int)saved.Status} to {saved.Location}");
        Assert.Contains("Gespeichert.", WebUtility.HtmlDecode((await browser.GetAsync("/me?saved=1")).Html), StringComparison.Ordinal);
        var me = await Http.ExpectAsync(HttpStatusCode.OK, await api.GetAsync("/api/me"));
        Assert.Equal("Hana Berger", me.GetProperty("name").GetString());
        Assert.Equal("+49 421 1234567", me.GetProperty("phone").GetString());
        Assert.Equal(["PT24H"], me.GetProperty("notificationPreferences").GetProperty("reminderLeadTimes").EnumerateArray().Select(l => l.GetString()));

        // A new address: the page says to look in the new inbox, and the mail reaches it; the old one stays until confirmed.
        var newEmail = $"hana-neu-{Guid.NewGuid():N}@example.org";
        page = await browser.GetAsync("/me");
        var asked = await browser.SubmitAsync("/me", page.Form("email"), ("NewEmail", newEmail));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("Schau ins neue Postfach", WebUtility.HtmlDecode(asked.Html), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await system.ReadEmailChangeTokenAsync(newEmail)));
        Assert.Equal(email, (await Http.ExpectAsync(HttpStatusCode.OK, await api.GetAsync("/api/me"))).GetProperty("email").GetString());

        // The same address again is refused in words, without a mail.
        var same = await browser.SubmitAsync("/me", (await browser.GetAsync("/me")).Form("email"), ("NewEmail", email));
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Contains("aria-invalid=\"true\"", same.Html, StringComparison.Ordinal);

        // Leaving asks first, naming the organisation; the confirmation leaves it and keeps the other.
        var question = await browser.GetAsync($"/me?leave={second}");
        Assert.Contains("Aus Kreisverband Nord austreten?", WebUtility.HtmlDecode(question.Html), StringComparison.Ordinal);
        var left = await browser.SubmitAsync($"/me?leave={second}", question.Form("leave"));
        Assert.True(left.Status == HttpStatusCode.Redirect && browser.IsHere(left.Location, $"/me?left={second}"), $"leaving answered {(int)left.Status} to {left.Location}");
        Assert.Contains("Du bist aus Kreisverband Nord ausgetreten.", WebUtility.HtmlDecode((await browser.GetAsync($"/me?left={second}")).Html), StringComparison.Ordinal);
        var memberships = (await Http.ExpectAsync(HttpStatusCode.OK, await api.GetAsync("/api/me"))).GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("org").GetString()).ToList();
        Assert.Equal([first], memberships);

        // The form sent once more (another tab): not a member any more, so the page is shown as it is, not an error.
        var again = await browser.SubmitAsync($"/me?leave={second}", question.Form("leave"));
        Assert.True(again.Status == HttpStatusCode.Redirect && browser.IsHere(again.Location, "/me"), $"leaving twice answered {(int)again.Status} to {again.Location}");
    }

    private async Task<string> NewOrganisationAsync(string name)
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name, timeZone = "Europe/Berlin" }));
        return org;
    }
}
