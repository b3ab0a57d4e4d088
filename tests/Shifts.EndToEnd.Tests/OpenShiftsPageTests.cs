using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The helpers' pages as a browser without JavaScript uses them, through the gateway: plain GETs
/// and form posts with the session cookie, read back as HTML.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed partial class OpenShiftsPageTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_page_that_needs_a_login_sends_the_browser_to_the_login_on_the_gateways_address()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/shifts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(system.Gateway.BaseAddress!, response.Headers.Location!);
        Assert.Equal(system.Gateway.BaseAddress!.Authority, location.Authority);
        Assert.Equal("/login?returnUrl=%2Fshifts", location.PathAndQuery);
    }

    [Fact]
    public async Task A_helper_claims_on_the_page_once_though_the_form_is_sent_twice_and_the_next_helper_is_offered_the_waitlist()
    {
        var (org, shiftId) = await OneShiftWithOnePlaceAsync();
        var hanaEmail = $"hana-{Guid.NewGuid():N}@example.org";
        using var hanaApi = await system.SignUpAsync(org, "Hana", hanaEmail);
        var benEmail = $"ben-{Guid.NewGuid():N}@example.org";
        using var benApi = await system.SignUpAsync(org, "Ben", benEmail);

        // Hana sees the shift with its free place and claims it in one tap.
        using var hana = await LogInAsync(hanaEmail);
        var list = await PageWithAsync(hana, "/shifts", $"id=\"shift-{shiftId}\"");
        Assert.Contains("1 von 1 frei", Card(list, shiftId), StringComparison.Ordinal);
        var claim = Form(Card(list, shiftId), "Ich bin dabei");
        Assert.Equal($"claim-{shiftId}", claim["_handler"]);
        Assert.True(Guid.TryParse(claim["Key"], out _), "the card carries a fresh idempotency key");

        var claimed = await PostAsync(hana, "/shifts", claim);
        Assert.Contains("Du bist dabei – danke!", Card(claimed, shiftId), StringComparison.Ordinal);
        Assert.Contains($"href=\"/shifts/{shiftId}\"", Card(claimed, shiftId), StringComparison.Ordinal);

        // The same form again (a double tap, a resent post): still one place, still hers.
        var again = await PostAsync(hana, "/shifts", claim);
        Assert.Contains("Du bist dabei", Card(again, shiftId), StringComparison.Ordinal);
        var mine = await Http.ExpectAsync(HttpStatusCode.OK, await hanaApi.GetAsync("/api/me/shifts"));
        Assert.Equal(shiftId, Assert.Single(mine.GetProperty("claims").EnumerateArray()).GetProperty("shift").GetProperty("id").GetGuid());
        var shift = await Http.ExpectAsync(HttpStatusCode.OK, await hanaApi.GetAsync($"/api/shifts/{shiftId}"));
        Assert.Equal(1, shift.GetProperty("confirmed").GetInt32());

        // Ben finds it full (with full shifts shown) and joins the waitlist from the card.
        using var ben = await LogInAsync(benEmail);
        var full = await PageWithAsync(ben, "/shifts?full=true", $"id=\"shift-{shiftId}\"");
        Assert.Contains(">Voll<", Card(full, shiftId), StringComparison.Ordinal);
        var wait = Form(Card(full, shiftId), "Auf die Warteliste");
        var waiting = await PostAsync(ben, "/shifts?full=true", wait);
        Assert.Contains("Du bist auf Platz 1 der Warteliste.", Card(waiting, shiftId), StringComparison.Ordinal);

        // The shift page tells each of them where they stand; Hana's offers giving it back.
        var hanasPage = await HtmlAsync(await hana.GetAsync($"/shifts/{shiftId}"));
        Assert.Contains("Schicht zurückgeben", hanasPage, StringComparison.Ordinal);
        Assert.Contains("Hana (du)", hanasPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/shifts/{shiftId}.ics\"", hanasPage, StringComparison.Ordinal);
        var bensPage = await HtmlAsync(await ben.GetAsync($"/shifts/{shiftId}"));
        Assert.Contains("Warteliste: Platz 1", bensPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Schicht zurückgeben", bensPage, StringComparison.Ordinal);

        // Hana gives it back on her page: Ben moves up, and the page says so in words.
        var giveBack = Form(hanasPage, "Schicht zurückgeben");
        var givenBack = await PostAsync(hana, $"/shifts/{shiftId}", giveBack);
        Assert.Contains("Du hast die Schicht zurückgegeben.", givenBack, StringComparison.Ordinal);
        var bensShifts = await Http.ExpectAsync(HttpStatusCode.OK, await benApi.GetAsync("/api/me/shifts"));
        Assert.Equal(shiftId, Assert.Single(bensShifts.GetProperty("claims").EnumerateArray()).GetProperty("shift").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_shift_that_does_not_exist_is_the_friendly_not_found_page()
    {
        var (org, _) = await OneShiftWithOnePlaceAsync();
        var email = $"ida-{Guid.NewGuid():N}@example.org";
        using var api = await system.SignUpAsync(org, "Ida", email);
        using var ida = await LogInAsync(email);

        using var response = await ida.GetAsync($"/shifts/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Seite nicht gefunden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A new organisation with a coordinator and one published shift of one place, the day after tomorrow at 10:00 in Berlin.</summary>
    private async Task<(string Org, Guid ShiftId)> OneShiftWithOnePlaceAsync()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var carla = $"carla-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(admin, org, new { name = "Carla", email = carla, role = "coordinator" }, carla);
        using var coordinator = await system.LogInAsync(carla);

        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(2);
        static string Local(DateTime local) => BerlinTime.Iso(local);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Infostand im Viertel",
            kind = "info-stand",
            location = new { name = "Sielwall-Kreuzung", address = "Ostertorsteinweg 1, Bremen" },
            startsAt = Local(day.AddHours(10)),
            endsAt = Local(day.AddHours(14)),
            shifts = new[] { new { title = "Standbetreuung", startsAt = Local(day.AddHours(10)), endsAt = Local(day.AddHours(12)), capacity = 1, minimum = 1 } },
        }), HttpStatusCode.Created);
        var ev = await Http.ExpectAsync(HttpStatusCode.Created, created);
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{ev.GetProperty("id").GetGuid()}/publish", null));
        return (org, ev.GetProperty("shifts")[0].GetProperty("id").GetGuid());
    }

    /// <summary>A browser: keeps cookies, speaks German, follows no redirect by itself.</summary>
    private HttpClient Browser()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = system.Gateway.BaseAddress };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de");
        return client;
    }

    /// <summary>Logs in as a person does: the mailed link, then the button on the login page.</summary>
    private async Task<HttpClient> LogInAsync(string email)
    {
        var browser = Browser();
        var before = (await system.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        await Http.ExpectAsync(HttpStatusCode.Accepted, await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email }));
        var token = await system.ReadLoginTokenAsync(email, before);
        var login = await HtmlAsync(await browser.GetAsync($"/login?token={token}"));
        using var response = await browser.PostAsync($"/login?token={token}", new FormUrlEncodedContent(Form(login, "Jetzt anmelden")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/shifts", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        return browser;
    }

    /// <summary>The page, once it shows <paramref name="marker"/> (the events service learns of new members and shifts through RabbitMQ).</summary>
    private static Task<string> PageWithAsync(HttpClient browser, string path, string marker) =>
        Eventually.Async(
            async () => await HtmlAsync(await browser.GetAsync(path)) is var html && html.Contains(marker, StringComparison.Ordinal) ? html : null,
            TimeSpan.FromSeconds(20),
            $"{path} to show '{marker}'");

    /// <summary>Asserts a 200 page and returns its HTML.</summary>
    private static async Task<string> HtmlAsync(HttpResponseMessage response)
    {
        using (response)
        {
            // As a browser shows it: the renderer writes umlauts and dashes as character references.
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
            return html;
        }
    }

    /// <summary>Posts a form and reads the answer, or the page a Post/Redirect/Get sends the browser to.</summary>
    private static async Task<string> PostAsync(HttpClient browser, string path, Dictionary<string, string> form)
    {
        var response = await browser.PostAsync(path, new FormUrlEncodedContent(form));
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!;
            response.Dispose();
            Assert.Equal(browser.BaseAddress!.Authority, new Uri(browser.BaseAddress, location).Authority);
            response = await browser.GetAsync(location);
        }

        return await HtmlAsync(response);
    }

    /// <summary>The card (article) of one shift.</summary>
    private static string Card(string html, Guid shiftId)
    {
        var match = Regex.Match(html, $"<article[^>]*id=\"shift-{shiftId}\".*?</article>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no card for {shiftId}");
        return match.Value;
    }

    /// <summary>The fields of the form whose button says <paramref name="button"/>.</summary>
    private static Dictionary<string, string> Form(string html, string button)
    {
        var form = FormElement().Matches(html).FirstOrDefault(m => m.Value.Contains($">{button}</button>", StringComparison.Ordinal));
        Assert.True(form is not null, $"no form with the button '{button}'");
        return HiddenInput().Matches(form.Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
    }

    [GeneratedRegex("<form.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
