using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// A coordinator plans in Chromium on a phone: creates a weekly series with two shifts, publishes
/// the whole series, moves one occurrence to a time that overlaps another shift of a helper on it
/// (the page says so before the click), and cancels "this and the following". Every page is checked
/// with axe and photographed at both sizes.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class EventEditorTests(ShiftsSystem system, BrowserFixture browser)
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task A_coordinator_creates_a_weekly_series_publishes_it_moves_one_date_seeing_the_consequences_and_cancels_this_and_the_following()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var carla = new Person("Carla Brandt", $"carla-{Guid.NewGuid():N}@example.org", org);
        await system.AddMemberAsync(admin, org, new { name = carla.Name, email = carla.Email, role = "coordinator" }, carla.Email);
        using var coordinator = await system.LogInAsync(carla.Email);
        using var hana = await system.SignUpAsync(org, "Hana Yilmaz", $"hana-{Guid.NewGuid():N}@example.org");

        // The first Saturday at least a week ahead; the series runs three Saturdays.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).Date);
        var first = today.AddDays(7);
        while (first.DayOfWeek != DayOfWeek.Saturday)
        {
            first = first.AddDays(1);
        }

        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, carla);

        // From the coordinators' gaps to the events list, empty, and its "new event".
        await page.GotoAsync($"/orgs/{org}/gaps");
        await page.Locator("nav.coord-tabs").GetByRole(AriaRole.Link, new() { Name = "Veranstaltungen" }).ClickAsync();
        Assert.Equal($"/orgs/{org}/events/manage", page.PathOf());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Veranstaltungen");
        await page.AssertNoSeriousViolationsAsync("the events list");
        await page.GetByRole(AriaRole.Link, new() { Name = "Neue Veranstaltung" }).ClickAsync();
        Assert.Equal($"/orgs/{org}/events/new", page.PathOf());

        await page.FillAsync("#ev-Title", "Infostand im Viertel");
        await page.SelectOptionAsync("#ev-Kind", "info-stand");
        await page.FillAsync("#ev-LocationName", "Sielwall-Kreuzung");
        await page.FillAsync("#ev-LocationAddress", "Ostertorsteinweg / Sielwall, 28203 Bremen");
        await page.FillAsync("#ev-Date", first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.FillAsync("#ev-StartTime", "10:00");
        await page.FillAsync("#ev-EndTime", "14:00");
        await page.CheckAsync("#ev-Repeat");
        await page.CheckAsync("#end-count");
        await page.FillAsync("#ev-Count", "3");
        await page.FillAsync("#s0-Title", "Standbetreuung");
        await page.FillAsync("#s0-Start", "10:00");
        await page.FillAsync("#s0-End", "12:00");
        await page.FillAsync("#s0-Capacity", "3");
        await page.FillAsync("#s0-Minimum", "2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schicht hinzufügen" }).ClickAsync();
        // The form comes back with a second row and the first as it was typed.
        await Assertions.Expect(page.Locator("#s1-Title")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#s0-Title")).ToHaveValueAsync("Standbetreuung");
        await page.FillAsync("#s1-Title", "Abbau");
        await page.FillAsync("#s1-Start", "12:00");
        await page.FillAsync("#s1-End", "14:00");
        await page.FillAsync("#s1-Capacity", "2");
        await page.AssertNoSeriousViolationsAsync("the new event form");
        await page.AssertNoSidewaysScrollAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Als Entwurf speichern" }).Last.ClickAsync();

        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Als Entwurf gespeichert");
        var firstId = Guid.Parse(page.PathOf().Split('/')[2]);
        await Assertions.Expect(page.Locator(".status-chip")).ToHaveTextAsync("Entwurf");
        await Assertions.Expect(page.Locator(".editor-shift-item")).ToHaveCountAsync(2);

        // Publish the whole series: reviewed first, then confirmed.
        await page.CheckAsync("#publish-series");
        await page.Locator("form:has(input[name=Move][value=publish])").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator(".editor-review .consequence")).ToContainTextAsync("3 Termine der Reihe werden veröffentlicht, mit insgesamt 6 Schichten");
        await page.AssertNoSeriousViolationsAsync("the editor's review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reihe veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("3 Termine der Reihe");
        await Assertions.Expect(page.Locator(".status-chip")).ToHaveTextAsync("Veröffentlicht");

        var occurrences = await OccurrencesAsync(coordinator, org);
        Assert.Equal(3, occurrences.Count);
        Assert.Equal(firstId, occurrences[0].Id);
        Assert.All(occurrences, o => Assert.Equal("published", o.Status));

        // Hana takes the stand on the second Saturday and a shift on the Sunday after it.
        var second = occurrences[1].Id;
        var stand = (await ShiftsAsync(coordinator, second))["Standbetreuung"];
        await Http.EventuallyAsync(() => hana.PostAsync($"/api/shifts/{stand}/claims", null), HttpStatusCode.Created);
        var sunday = first.AddDays(8);
        var other = await SundayShiftAsync(coordinator, org, sunday);
        await Http.ExpectAsync(HttpStatusCode.Created, await hana.PostAsync($"/api/shifts/{other}/claims", null));

        // Moving the second Saturday to that Sunday: the page says who is told and what overlaps.
        await page.GotoAsync($"/orgs/{org}/events/manage");
        await Assertions.Expect(page.Locator(".manage-event")).ToHaveCountAsync(4);
        await page.AssertNoSeriousViolationsAsync("the events list");
        await page.GotoAsync($"/events/{second}/edit");
        await page.FillAsync("#reschedule-date", sunday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("form:has(input[name=Move][value=reschedule])").GetByRole(AriaRole.Button).ClickAsync();
        var consequence = page.Locator(".editor-review .consequence");
        await Assertions.Expect(consequence).ToContainTextAsync("1 Person wird per Mail benachrichtigt.");
        await Assertions.Expect(consequence).ToContainTextAsync("1 Platz überschneidet sich mit einer anderen Schicht derselben Person und wird freigegeben.");
        await page.AssertNoSidewaysScrollAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Auf den neuen Termin verlegen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("verlegt");
        await Assertions.Expect(page.Locator(".when-line")).ToContainTextAsync("Sonntag");

        // Cancel this and the following: the moved Sunday and the third Saturday.
        await page.CheckAsync("#cancel-following");
        await page.FillAsync("#cancel-reason", "Der Platz ist ab dann gesperrt.");
        await page.Locator("form:has(input[name=Move][value=cancel])").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator(".editor-review .consequence")).ToContainTextAsync("2 Termine der Reihe werden abgesagt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diesen und alle folgenden absagen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Abgesagt");
        await Assertions.Expect(page.Locator(".status-chip")).ToHaveTextAsync("Abgesagt");

        occurrences = await OccurrencesAsync(coordinator, org);
        Assert.Equal(["published", "cancelled", "cancelled"], occurrences.Select(o => o.Status));

        var signedIn = await context.StorageStateAsync();
        foreach (var (name, path, prepare) in new (string, string, Func<IPage, Task>?)[]
        {
            ("editor-events", $"/orgs/{org}/events/manage", null),
            ("editor-new", $"/orgs/{org}/events/new", null),
            ("editor-new-errors", $"/orgs/{org}/events/new", p => p.GetByRole(AriaRole.Button, new() { Name = "Als Entwurf speichern" }).Last.ClickAsync()),
            ("editor-event", $"/events/{firstId}/edit", null),
            ("editor-review", $"/events/{firstId}/edit", p => p.Locator("form:has(input[name=Move][value=cancel])").GetByRole(AriaRole.Button).ClickAsync()),
        })
        {
            var files = await Screenshots.CaptureAsync(browser, system, name, path, prepare, storageState: signedIn);
            Assert.All(files, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is (nearly) empty"));
        }
    }

    private static async Task<List<(Guid Id, string Status)>> OccurrencesAsync(HttpClient coordinator, string org)
    {
        var list = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/orgs/{org}/events"));
        return list.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("seriesId").ValueKind != JsonValueKind.Null)
            .Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("status").GetString()!)).ToList();
    }

    private static async Task<Dictionary<string, Guid>> ShiftsAsync(HttpClient coordinator, Guid eventId)
    {
        var ev = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/events/{eventId}"));
        return ev.GetProperty("shifts").EnumerateArray().ToDictionary(s => s.GetProperty("title").GetString()!, s => s.GetProperty("id").GetGuid());
    }

    /// <summary>A published single event on that Sunday, 10:00–14:00, with one shift: the time the moved Saturday will overlap.</summary>
    private static async Task<Guid> SundayShiftAsync(HttpClient coordinator, string org, DateOnly day)
    {
        string Local(int hour)
        {
            var local = day.ToDateTime(new TimeOnly(hour, 0));
            return new DateTimeOffset(local, Berlin.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        var created = await Http.ExpectAsync(HttpStatusCode.Created, await coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Sommerfest",
            kind = "festival",
            location = new { name = "Wallanlagen" },
            startsAt = Local(10),
            endsAt = Local(14),
            shifts = new[] { new { title = "Getränke", startsAt = Local(10), endsAt = Local(12), capacity = 4 } },
        }));
        var id = created.GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{id}/publish", null));
        return created.GetProperty("shifts")[0].GetProperty("id").GetGuid();
    }
}
