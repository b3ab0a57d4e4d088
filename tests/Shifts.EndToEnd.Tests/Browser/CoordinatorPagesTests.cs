using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// A coordinator fills the gaps in Chromium: the gap dashboard shows what is short, the staffing
/// page's candidates are put on the shifts with one tap each, the dashboard turns green, and the
/// event's plan prints to a PDF. Every page is checked with axe and photographed at both sizes.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class CoordinatorPagesTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task A_coordinator_fills_the_gaps_from_the_dashboard_sees_it_turn_green_and_prints_the_plan()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var carla = new Person("Carla Brandt", $"carla-{Guid.NewGuid():N}@example.org", org);
        await system.AddMemberAsync(admin, org, new { name = carla.Name, email = carla.Email, role = "coordinator" }, carla.Email);
        using var coordinator = await system.LogInAsync(carla.Email);
        var (eventId, stand, teardown) = await InfoStandAsync(coordinator, org);
        using (await system.SignUpAsync(org, "Hana Yilmaz", $"hana-{Guid.NewGuid():N}@example.org")) { }
        using (await system.SignUpAsync(org, "Ben Okafor", $"ben-{Guid.NewGuid():N}@example.org")) { }

        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, carla);

        // The dashboard: both shifts are short, the stand (two missing) first.
        await page.GotoAsync($"/orgs/{org}/gaps");
        await Assertions.Expect(page.Locator(".coord-summary")).ToContainTextAsync("2 Schichten fehlen noch Leute.");
        await Assertions.Expect(page.Locator(".gap-shift").First).ToContainTextAsync("Standbetreuung");
        await Assertions.Expect(page.Locator(".gap-shift").First.Locator("svg.staffing-bar")).ToHaveAttributeAsync("aria-label", "0 von 3 Plätzen besetzt · 2 fehlen bis zum Minimum von 2");
        await page.AssertNoSeriousViolationsAsync("the gap dashboard");
        await page.AssertNoSidewaysScrollAsync();

        // One tap from the gap to its candidates; the new members reach the events service by message.
        await page.Locator(".gap-shift").First.GetByRole(AriaRole.Link, new() { Name = "Leute finden: Standbetreuung", Exact = false }).ClickAsync();
        Assert.Equal($"/shifts/{stand}/staffing", page.PathOf());
        await Eventually.Async(async () =>
        {
            await page.GotoAsync($"/shifts/{stand}/staffing");
            return await page.Locator(".candidate").CountAsync() >= 2;
        }, TimeSpan.FromSeconds(20), "both new members to be candidates");
        await Assertions.Expect(page.Locator(".candidate").First).ToContainTextAsync("hat Zeit");
        await page.AssertNoSeriousViolationsAsync("the staffing page");
        await page.AssertNoSidewaysScrollAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Hana Yilmaz eintragen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Erledigt");
        await Assertions.Expect(page.Locator(".coord-people").First).ToContainTextAsync("Hana Yilmaz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ben Okafor eintragen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".coord-people").First).ToContainTextAsync("Ben Okafor");

        await page.GotoAsync($"/shifts/{teardown}/staffing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hana Yilmaz eintragen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Erledigt");

        // Every shift has its minimum now: the dashboard says so in green.
        await page.GotoAsync($"/orgs/{org}/gaps");
        await Assertions.Expect(page.Locator(".coord-summary.success")).ToContainTextAsync("Alle Schichten haben ihre Mindestbesetzung.");

        // The plan for the info stand, printed to PDF as the print button would.
        await page.GotoAsync($"/events/{eventId}/plan");
        await Assertions.Expect(page.Locator(".plan-table")).ToContainTextAsync("Hana Yilmaz");
        await Assertions.Expect(page.Locator(".plan-table")).ToContainTextAsync("Ben Okafor");
        await page.AssertNoSeriousViolationsAsync("the event plan");
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Directory.CreateDirectory(Screenshots.Folder);
        await File.WriteAllBytesAsync(Path.Combine(Screenshots.Folder, "event-plan.pdf"), pdf);

        // The check-in list of the day lists the same people.
        await page.GotoAsync($"/events/{eventId}/check-in");
        await Assertions.Expect(page.Locator(".checkin-people").First).ToContainTextAsync("Hana Yilmaz");
        await page.AssertNoSeriousViolationsAsync("the check-in list");
        await page.AssertNoSidewaysScrollAsync();

        var signedIn = await context.StorageStateAsync();
        foreach (var (name, path) in new[]
        {
            ("coordinator-gaps", $"/orgs/{org}/gaps"), ("coordinator-staffing", $"/shifts/{stand}/staffing"),
            ("coordinator-plan", $"/events/{eventId}/plan"), ("coordinator-check-in", $"/events/{eventId}/check-in"),
        })
        {
            var files = await Screenshots.CaptureAsync(browser, system, name, path, storageState: signedIn);
            Assert.All(files, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is (nearly) empty"));
        }
    }

    /// <summary>A published info stand the day after tomorrow: Standbetreuung (3 places, 2 needed), Abbau (2 places, 1 needed).</summary>
    private static async Task<(Guid Event, Guid Stand, Guid Teardown)> InfoStandAsync(HttpClient coordinator, string org)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(2);
        static string Local(DateTime local) => BerlinTime.Iso(local);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Infostand im Viertel",
            kind = "info-stand",
            location = new { name = "Sielwall-Kreuzung", address = "Ostertorsteinweg / Sielwall, 28203 Bremen" },
            startsAt = Local(day.AddHours(10)),
            endsAt = Local(day.AddHours(14)),
            shifts = new[]
            {
                new { title = "Standbetreuung", startsAt = Local(day.AddHours(10)), endsAt = Local(day.AddHours(12)), capacity = 3, minimum = 2 },
                new { title = "Abbau", startsAt = Local(day.AddHours(12)), endsAt = Local(day.AddHours(14)), capacity = 2, minimum = 1 },
            },
        }), HttpStatusCode.Created);
        var ev = await Http.ExpectAsync(HttpStatusCode.Created, created);
        var id = ev.GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{id}/publish", null));
        var shifts = ev.GetProperty("shifts").EnumerateArray().ToDictionary(s => s.GetProperty("title").GetString()!, s => s.GetProperty("id").GetGuid());
        return (id, shifts["Standbetreuung"], shifts["Abbau"]);
    }
}
