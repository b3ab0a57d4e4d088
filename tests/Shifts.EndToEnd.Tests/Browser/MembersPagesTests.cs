using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// The coordinators' members pages in Chromium: a coordinator adds a qualification, searches the
/// members, filters by the qualification, opens a member and grants it, invites someone and
/// withdraws the invitation; an admin changes a role and removes the member. Each page is checked with axe and
/// photographed at both sizes.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class MembersPagesTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task A_coordinator_searches_filters_and_grants_a_qualification_and_an_admin_changes_a_role_and_removes_a_member()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var platform = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await platform.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var anna = new Person("Anna Adler", $"anna.{Guid.NewGuid():N}"[..13] + "@example.org", org);
        await system.AddMemberAsync(platform, org, new { name = anna.Name, email = anna.Email, role = "admin" }, anna.Email);
        var carla = new Person("Carla Brandt", $"carla.{Guid.NewGuid():N}"[..14] + "@example.org", org);
        await system.AddMemberAsync(platform, org, new { name = carla.Name, email = carla.Email, role = "coordinator" }, carla.Email);
        using (var hana = await system.SignUpAsync(org, "Hana Yilmaz", $"hana.{Guid.NewGuid():N}"[..13] + "@example.org"))
        {
            await Http.ExpectAsync(HttpStatusCode.OK, await hana.PatchAsJsonAsync("/api/me", new { phone = "+49 421 5550123" }));
        }

        using (await system.SignUpAsync(org, "Ben Okafor", $"ben.{Guid.NewGuid():N}"[..12] + "@example.org")) { }

        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, carla);

        // The qualification first: made from its name.
        await page.GotoAsync($"/orgs/{org}/qualifications");
        await page.Locator("#qual-name").FillAsync("Erste Hilfe");
        await page.Locator("form:has(#qual-name) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("„Erste Hilfe“ ist angelegt.");
        await Assertions.Expect(page.Locator(".quals-list")).ToContainTextAsync("erste-hilfe");
        await page.AssertNoSeriousViolationsAsync("the qualifications page");
        await page.AssertNoSidewaysScrollAsync();

        // The Members tab: the notice, then everyone by name.
        await page.GetByRole(AriaRole.Link, new() { Name = "Mitglieder", Exact = true }).ClickAsync();
        Assert.Equal($"/orgs/{org}/members", page.PathOf());
        await Assertions.Expect(page.Locator(".members-notice")).ToContainTextAsync("Diese Seite zeigt Kontaktdaten; jeder Aufruf wird protokolliert.");
        await Assertions.Expect(page.Locator(".member-row")).ToHaveCountAsync(4);
        await page.AssertNoSeriousViolationsAsync("the members page");
        await page.AssertNoSidewaysScrollAsync();

        await page.Locator("#member-search").FillAsync("hana");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".member-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".member-row")).ToContainTextAsync("Hana Yilmaz");
        await Assertions.Expect(page.Locator(".member-row a.member-phone")).ToHaveAttributeAsync("href", "tel:+494215550123");

        // Nobody holds first aid yet.
        await page.GotoAsync($"/orgs/{org}/members");
        await page.Locator("#member-qualification").SelectOptionAsync("erste-hilfe");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".members-empty")).ToContainTextAsync("Niemand passt zu dieser Suche.");

        // Hana's page: a coordinator ticks the qualification; the role is for admins.
        await page.GotoAsync($"/orgs/{org}/members?search=Hana");
        await page.Locator(".member-row a.member-name").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Hana Yilmaz");
        await Assertions.Expect(page.Locator(".member-role-card")).ToContainTextAsync("Rollen ändern nur die Admins der Organisation.");
        Assert.Equal(0, await page.Locator(".member-role-card button").CountAsync());
        var hanaPage = page.PathOf();
        await page.AssertNoSeriousViolationsAsync("a member's page");
        await page.AssertNoSidewaysScrollAsync();
        await page.GetByLabel("Erste Hilfe").CheckAsync();
        await page.Locator("form:has(input[name=codes]) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Die Qualifikationen sind gespeichert.");
        await Assertions.Expect(page.GetByLabel("Erste Hilfe")).ToBeCheckedAsync();

        await page.GotoAsync($"/orgs/{org}/members?qualification=erste-hilfe");
        await Assertions.Expect(page.Locator(".member-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".member-row")).ToContainTextAsync("Hana Yilmaz");
        await Assertions.Expect(page.Locator(".member-row .member-qualifications")).ToContainTextAsync("Erste Hilfe");

        // An invitation, said kindly, then withdrawn.
        await page.GotoAsync($"/orgs/{org}/members");
        await page.Locator(".members-actions a.primary").ClickAsync();
        await page.Locator("#invite-name").FillAsync("Dora Neumann");
        await page.Locator("#invite-email").FillAsync($"dora.{Guid.NewGuid():N}"[..13] + "@example.org");
        await page.Locator("form:has(#invite-name) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Wenn die Adresse neu ist, ist eine Einladung unterwegs.");
        await Assertions.Expect(page.Locator(".pending-list")).ToContainTextAsync("Dora Neumann");
        await page.AssertNoSeriousViolationsAsync("the invitation page");
        await page.AssertNoSidewaysScrollAsync();
        var signedIn = await context.StorageStateAsync();
        var files = new List<string>();
        foreach (var (name, path) in new[]
        {
            ("members-list", $"/orgs/{org}/members"), ("members-member", hanaPage),
            ("members-invite", $"/orgs/{org}/members/invite"), ("members-qualifications", $"/orgs/{org}/qualifications"),
        })
        {
            files.AddRange(await Screenshots.CaptureAsync(browser, system, name, path, storageState: signedIn));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Einladung an Dora Neumann zurückziehen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("Die Einladung ist zurückgezogen");
        Assert.Equal(0, await page.Locator(".pending-list").CountAsync());

        // The admin makes Ben a coordinator.
        await using var adminContext = await browser.NewContextAsync(system, Screen.Desktop);
        var adminPage = await adminContext.NewPageAsync();
        await adminPage.LogInAsync(system, anna);
        await adminPage.GotoAsync($"/orgs/{org}/members?search=Ben");
        await adminPage.Locator(".member-row a.member-name").ClickAsync();
        await Assertions.Expect(adminPage.Locator("h1")).ToHaveTextAsync("Ben Okafor");
        var benPage = adminPage.PathOf();
        await adminPage.Locator("#role-coordinator").CheckAsync();
        await adminPage.Locator(".member-role-card button[type=submit]").ClickAsync();
        await Assertions.Expect(adminPage.Locator("p.notice.success")).ToContainTextAsync("Die Rolle ist geändert.");
        await Assertions.Expect(adminPage.Locator(".member-role-card > p").First).ToHaveTextAsync("Ben Okafor ist Koordinator*in.");
        await adminPage.AssertNoSeriousViolationsAsync("a member's page for an admin");
        files.AddRange(await Screenshots.CaptureAsync(browser, system, "members-member-admin", benPage, storageState: await adminContext.StorageStateAsync()));

        // Ben is a coordinator now: Carla may not remove him, the admin may, after reading what it means.
        await page.GotoAsync(benPage);
        await Assertions.Expect(page.Locator(".member-remove")).ToContainTextAsync("Koordinierende und Admins entfernen nur die Admins der Organisation.");
        Assert.Equal(0, await page.Locator(".member-remove button").CountAsync());
        await adminPage.Locator(".member-remove summary").ClickAsync();
        await Assertions.Expect(adminPage.Locator(".member-remove form p")).ToContainTextAsync("Ben Okafor verliert den Zugang zu den Schichten von Kreisverband Mitte/Ost");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Ja, Ben Okafor entfernen" }).ClickAsync();
        Assert.Equal($"/orgs/{org}/members", adminPage.PathOf());
        await Assertions.Expect(adminPage.Locator("p.notice.success")).ToContainTextAsync("Entfernt");
        await Assertions.Expect(adminPage.Locator(".member-row")).ToHaveCountAsync(3);
        await Assertions.Expect(adminPage.Locator(".members-list")).Not.ToContainTextAsync("Ben Okafor");

        Assert.All(files, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is (nearly) empty"));
    }
}
