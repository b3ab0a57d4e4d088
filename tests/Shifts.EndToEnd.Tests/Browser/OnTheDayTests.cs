using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// On the day, on phones: the coordinator names a helper lead of the shift on the staffing page, the
/// lead checks a person in on the check-in list, and another helper opens the event's QR code
/// address and taps "I'm here". Each page is checked with axe and for sideways scrolling.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class OnTheDayTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task A_lead_checks_someone_in_on_a_phone_and_a_helper_taps_I_am_here_from_the_qr_code()
    {
        var org = $"od-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var carla = new Person("Carla Brandt", $"carla-{Guid.NewGuid():N}@example.org", org);
        await system.AddMemberAsync(admin, org, new { name = carla.Name, email = carla.Email, role = "coordinator" }, carla.Email);
        using var coordinator = await system.LogInAsync(carla.Email);
        var lea = new Person("Lea Sommer", $"lea-{Guid.NewGuid():N}@example.org", org);
        var hana = new Person("Hana Yilmaz", $"hana-{Guid.NewGuid():N}@example.org", org);
        using var leaApi = await system.SignUpAsync(org, lea.Name, lea.Email);
        using var benApi = await system.SignUpAsync(org, "Ben Okafor", $"ben-{Guid.NewGuid():N}@example.org");
        using var hanaApi = await system.SignUpAsync(org, hana.Name, hana.Email);
        var (eventId, shiftId) = await StartingSoonAsync(coordinator, org);
        foreach (var helper in new[] { leaApi, benApi, hanaApi })
        {
            // The new members reach the events service by message.
            await Http.ExpectAsync(HttpStatusCode.Created, await Http.EventuallyAsync(() => helper.PostAsync($"/api/shifts/{shiftId}/claims", null), HttpStatusCode.Created));
        }

        // The coordinator names Lea lead on the staffing page.
        await using (var context = await browser.NewContextAsync(system, Screen.Phone))
        {
            var page = await context.NewPageAsync();
            await page.LogInAsync(system, carla);
            await page.GotoAsync($"/shifts/{shiftId}/staffing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Zur Leitung machen: Lea Sommer" }).ClickAsync();
            await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Als Leitung benannt");
            await Assertions.Expect(page.Locator(".coord-people").First.Locator(".badge.ok")).ToHaveTextAsync("Leitung");
            await page.AssertNoSeriousViolationsAsync("the staffing page with a lead");
            await Screenshots.SaveAsync(page, "staffing-lead-phone");
        }

        // Lea, on her phone, checks Ben in; the list names her as the lead and shows the QR code.
        string here;
        await using (var context = await browser.NewContextAsync(system, Screen.Phone))
        {
            var page = await context.NewPageAsync();
            await page.LogInAsync(system, lea);
            await page.GotoAsync($"/events/{eventId}/check-in");
            await Assertions.Expect(page.Locator(".checkin-leads")).ToHaveTextAsync("Leitung: Lea Sommer");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ben Okafor ist da" }).ClickAsync();
            await Assertions.Expect(page.Locator(".checkin-person.in")).ToContainTextAsync("Ben Okafor");
            await Assertions.Expect(page.Locator(".checkin-qr img.qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/svg\\+xml;base64,"));
            here = (await page.Locator(".checkin-qr-url").InnerTextAsync()).Trim();
            await page.AssertNoSeriousViolationsAsync("the check-in list for a lead");
            await page.AssertNoSidewaysScrollAsync();
            await Screenshots.SaveAsync(page, "lead-check-in-phone");
        }

        // Hana scans the code (its path and query: the printed host is the public address, the tests' the gateway) and taps "I'm here".
        var address = new Uri(here);
        Assert.Equal($"/events/{eventId}/here", address.AbsolutePath);
        await using (var context = await browser.NewContextAsync(system, Screen.Phone))
        {
            var page = await context.NewPageAsync();
            await page.LogInAsync(system, hana);
            await page.GotoAsync(address.PathAndQuery);
            await Assertions.Expect(page.Locator(".here-shift h2")).ToHaveTextAsync("Einlass");
            await page.AssertNoSeriousViolationsAsync("the I'm here page");
            await page.AssertNoSidewaysScrollAsync();
            await Screenshots.SaveAsync(page, "self-check-in-phone");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ich bin da" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Danke – du bist eingecheckt");
            await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Eingecheckt um");
            await page.AssertNoSeriousViolationsAsync("the checked-in page");
            await Screenshots.SaveAsync(page, "self-check-in-done-phone");
        }

        var list = await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/attendance");
        var people = list.GetProperty("shifts")[0].GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.NotEqual(JsonValueKind.Null, people["Ben Okafor"].GetProperty("checkedInAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, people["Hana Yilmaz"].GetProperty("checkedInAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, people["Lea Sommer"].GetProperty("checkedInAt").ValueKind);
    }

    /// <summary>A published event whose one shift (Einlass, 5 places) starts in 30 minutes: check-in is open.</summary>
    private static async Task<(Guid Event, Guid Shift)> StartingSoonAsync(HttpClient coordinator, string org)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(30);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Sommerfest am Weserwehr",
            kind = "festival",
            location = new { name = "Weserwehr", address = "Am Weserwehr 1, 28205 Bremen" },
            startsAt = Iso(start),
            endsAt = Iso(start.AddHours(4)),
            shifts = new[] { new { title = "Einlass", startsAt = Iso(start), endsAt = Iso(start.AddHours(2)), capacity = 5, minimum = 2 } },
        }), HttpStatusCode.Created);
        var ev = await Http.ExpectAsync(HttpStatusCode.Created, created);
        var id = ev.GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{id}/publish", null));
        return (id, ev.GetProperty("shifts")[0].GetProperty("id").GetGuid());
    }
}
