using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// The pages a helper sees once logged in, in Chromium with JavaScript (enhanced navigation and
/// forms): claiming a shift from the list, the shift's own page, my shifts and the profile — each
/// checked with axe, and photographed at phone and desktop size.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SignedInPagesTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task A_helper_claims_a_shift_on_the_list_with_javascript_and_finds_it_on_the_shift_page_and_under_my_shifts()
    {
        var (org, shiftIds) = await OrganisationWithAnEventAsync();
        var person = new Person("Lena Berger", $"lena-{Guid.NewGuid():N}@example.org", org);
        using (await system.SignUpAsync(org, person.Name, person.Email)) { }

        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, person);
        Assert.Equal("/shifts", page.PathOf());

        // The events service learns of the new member over RabbitMQ: the list fills within seconds.
        var card = page.Locator($"#shift-{shiftIds[0]}");
        await Eventually.Async(async () =>
        {
            await page.GotoAsync("/shifts");
            return await card.CountAsync() == 1;
        }, TimeSpan.FromSeconds(20), "the new member's open-shift list to show the event's shifts");
        await page.AssertNoSeriousViolationsAsync("the open shifts");
        await page.AssertNoSidewaysScrollAsync();

        await card.GetByRole(AriaRole.Button, new() { Name = "Ich bin dabei" }).ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("Du bist dabei – danke!");
        await page.AssertNoSeriousViolationsAsync("the open shifts after a claim");

        // The shift's own page says it is hers and offers giving it back.
        await page.GotoAsync($"/shifts/{shiftIds[0]}");
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Lena Berger (du)");
        // Giving it back is folded away (one tap too many rather than one by accident).
        var giveBack = page.GetByRole(AriaRole.Button, new() { Name = "Schicht zurückgeben" });
        await Assertions.Expect(giveBack).Not.ToBeVisibleAsync();
        await page.Locator("details.give-back > summary").ClickAsync();
        await Assertions.Expect(giveBack).ToBeVisibleAsync();
        await page.AssertNoSeriousViolationsAsync("the shift page");

        // My shifts lists it; the profile shows her name.
        await page.GotoAsync("/me/shifts");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Standbetreuung");
        await page.AssertNoSeriousViolationsAsync("my shifts");
        await page.AssertNoSidewaysScrollAsync();
        await page.GotoAsync("/me");
        Assert.Equal(person.Name, await page.Locator("input[name='Name']").InputValueAsync());
        await page.AssertNoSeriousViolationsAsync("the profile");
        await page.AssertNoSidewaysScrollAsync();

        var signedIn = await context.StorageStateAsync();
        foreach (var (name, path) in new[]
        {
            ("open-shifts-signed-in", "/shifts"), ("shift-page", $"/shifts/{shiftIds[0]}"), ("my-shifts", "/me/shifts"), ("profile", "/me"),
        })
        {
            var files = await Screenshots.CaptureAsync(browser, system, name, path, storageState: signedIn);
            Assert.All(files, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is (nearly) empty"));
        }
    }

    /// <summary>A new organisation with a coordinator and a published info stand with two shifts, the day after tomorrow in Berlin.</summary>
    private async Task<(string Org, IReadOnlyList<Guid> ShiftIds)> OrganisationWithAnEventAsync()
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
            title = "Infostand am Marktplatz",
            kind = "info-stand",
            description = "Wir verteilen Flyer und kommen mit Nachbarinnen und Nachbarn ins Gespräch.",
            location = new { name = "Marktplatz", address = "Am Markt 1, Bremen" },
            startsAt = Local(day.AddHours(10)),
            endsAt = Local(day.AddHours(14)),
            shifts = new[]
            {
                new { title = "Standbetreuung", startsAt = Local(day.AddHours(10)), endsAt = Local(day.AddHours(12)), capacity = 3, minimum = 2 },
                new { title = "Abbau", startsAt = Local(day.AddHours(12)), endsAt = Local(day.AddHours(14)), capacity = 2, minimum = 1 },
            },
        }), HttpStatusCode.Created);
        var ev = await Http.ExpectAsync(HttpStatusCode.Created, created);
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{ev.GetProperty("id").GetGuid()}/publish", null));
        return (org, ev.GetProperty("shifts").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList());
    }
}
