using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Shifts.Events.Gaps;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// The coordinator's way from the gap alert to a full shift, as the issue tells it: the alert mail's
/// link opens the dashboard with the awareness night short, she invites two qualified candidates
/// (not the one without the qualification), one of them accepts from the invitation mail in a
/// browser of her own, and the dashboard turns green.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class GapAlertJourneyTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task The_gap_alert_leads_to_two_invitations_one_accepted_from_the_mail_and_a_green_dashboard()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));
        var carla = new Person("Carla Brandt", $"carla-{Guid.NewGuid():N}@example.org", org);
        await system.AddMemberAsync(admin, org, new { name = carla.Name, email = carla.Email, role = "coordinator" }, carla.Email);
        using var coordinator = await system.LogInAsync(carla.Email);
        await Http.ExpectAsync(HttpStatusCode.Created, await coordinator.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "awareness", name = "Awareness-Schulung" }));

        var deniz = $"deniz-{Guid.NewGuid():N}@example.org";
        var aylin = $"aylin-{Guid.NewGuid():N}@example.org";
        var yusuf = $"yusuf-{Guid.NewGuid():N}@example.org";
        var greta = $"greta-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(coordinator, org, new { name = "Deniz Yılmaz", email = deniz, qualifications = new[] { "awareness" } }, deniz);
        await system.AddMemberAsync(coordinator, org, new { name = "Aylin Kaya", email = aylin, qualifications = new[] { "awareness" } }, aylin);
        await system.AddMemberAsync(coordinator, org, new { name = "Yusuf Aydın", email = yusuf, qualifications = new[] { "awareness" } }, yusuf);
        await system.AddMemberAsync(coordinator, org, new { name = "Greta Neumann", email = greta }, greta);

        // Tomorrow night's awareness pair has one of its two people: Deniz.
        var night = await AwarenessNightAsync(coordinator, org);
        using (var denizClient = await system.LogInAsync(deniz))
        {
            await Http.ExpectAsync(HttpStatusCode.Created, await Http.EventuallyAsync(
                () => denizClient.PostAsync($"/api/shifts/{night}/claims", null), HttpStatusCode.Created));
        }

        // The detector's round (every minute in production) finds the gap; Carla gets the alert.
        var before = (await system.Inbox.MailsToAsync(carla.Email)).Select(m => m.Id).ToHashSet();
        var detector = system.ServiceProviders["events"].GetServices<IHostedService>().OfType<GapDetector>().Single();
        await detector.DetectAsync(CancellationToken.None);
        var alert = await MailWithAsync(carla.Email, before, GapsLink());
        Assert.Equal($"/orgs/{org}/gaps", alert.Link);

        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, carla);
        await page.GotoAsync(alert.Link);
        var gap = page.Locator(".gap-shift", new() { HasText = "Awareness-Schicht" });
        await Assertions.Expect(gap.Locator("svg.staffing-bar")).ToHaveAttributeAsync("aria-label", "1 von 2 Plätzen besetzt · 1 fehlt bis zum Minimum von 2");

        // Candidates: the two with the awareness training, never Greta without it.
        await gap.GetByRole(AriaRole.Link, new() { Name = "Leute finden: Awareness-Schicht", Exact = false }).ClickAsync();
        await Eventually.Async(async () =>
        {
            await page.GotoAsync($"/shifts/{night}/staffing");
            return await page.Locator(".candidate").CountAsync() >= 2;
        }, TimeSpan.FromSeconds(20), "both qualified members to be candidates");
        await Assertions.Expect(page.Locator(".candidate")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".candidates")).Not.ToContainTextAsync("Greta");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Aylin Kaya" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Yusuf Aydın" }).CheckAsync();
        var invitedBefore = (await system.Inbox.MailsToAsync(aylin)).Select(m => m.Id).ToHashSet();
        await page.GetByRole(AriaRole.Button, new() { Name = "Angekreuzte einladen" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice.success")).ToContainTextAsync("2 Einladungen sind unterwegs.");
        var invitations = page.Locator("section[aria-labelledby='invitations']");
        await Assertions.Expect(invitations.Locator("li", new() { HasText = "Aylin Kaya" })).ToContainTextAsync("verschickt");
        await Assertions.Expect(invitations.Locator("li", new() { HasText = "Yusuf Aydın" })).ToContainTextAsync("verschickt");

        // Aylin accepts from her mail, in her own browser, signed in nowhere.
        var invitation = await MailWithAsync(aylin, invitedBefore, AcceptLink());
        await using (var aylinContext = await browser.NewContextAsync(system, Screen.Phone))
        {
            var aylinPage = await aylinContext.NewPageAsync();
            await aylinPage.GotoAsync(invitation.Link);
            await aylinPage.GetByRole(AriaRole.Button, new() { Name = "Ich übernehme das" }).ClickAsync();
            await Assertions.Expect(aylinPage.Locator(".notice.success")).ToContainTextAsync("Danke! Der Platz gehört dir.");
            await aylinPage.AssertNoSeriousViolationsAsync("the accepted invitation");
        }

        // Carla's staffing page and dashboard follow.
        await page.GotoAsync($"/shifts/{night}/staffing");
        await Assertions.Expect(invitations.Locator("li", new() { HasText = "Aylin Kaya" })).ToContainTextAsync("angenommen");
        await Assertions.Expect(page.Locator(".coord-people").First).ToContainTextAsync("Aylin Kaya");
        await page.GotoAsync(alert.Link);
        await Assertions.Expect(page.Locator(".coord-summary.success")).ToContainTextAsync("Alle Schichten haben ihre Mindestbesetzung.");
        await Assertions.Expect(page.Locator(".gap-shift", new() { HasText = "Awareness-Schicht" })).ToHaveCountAsync(0);
        await page.AssertNoSeriousViolationsAsync("the green dashboard");
    }

    /// <summary>Tomorrow 22:00 to 03:00 local: one awareness pair (2 places, 2 needed), published.</summary>
    private static async Task<Guid> AwarenessNightAsync(HttpClient coordinator, string org)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(1);
        static string Local(DateTime local) => BerlinTime.Iso(local);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Awareness-Team im Viertel",
            kind = "awareness",
            location = new { name = "Sielwall-Kreuzung", address = "Ostertorsteinweg / Sielwall, 28203 Bremen" },
            startsAt = Local(day.AddHours(22)),
            endsAt = Local(day.AddHours(27)),
            shifts = new[]
            {
                new { title = "Awareness-Schicht", startsAt = Local(day.AddHours(22)), endsAt = Local(day.AddHours(27)), capacity = 2, minimum = 2, requiredQualification = "awareness" },
            },
        }), HttpStatusCode.Created);
        var ev = await Http.ExpectAsync(HttpStatusCode.Created, created);
        var id = ev.GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{id}/publish", null));
        return ev.GetProperty("shifts")[0].GetProperty("id").GetGuid();
    }

    /// <summary>The first new mail to <paramref name="address"/> whose text holds the link; the link's path and query (mails point at the public address).</summary>
    private async Task<(string Subject, string Link)> MailWithAsync(string address, IReadOnlySet<string> before, Regex link)
    {
        string? found = null;
        var subject = "";
        await Eventually.Async(async () =>
        {
            foreach (var mail in (await system.Inbox.MailsToAsync(address)).Where(m => !before.Contains(m.Id)))
            {
                var match = link.Match(await system.Inbox.PlainTextAsync(mail.Id));
                if (match.Success)
                {
                    (found, subject) = (match.Value, mail.Subject);
                    return true;
                }
            }

            return false;
        }, TimeSpan.FromSeconds(30), $"a mail to {address} with a link like {link}");
        return (subject, found!);
    }

    [GeneratedRegex(@"/orgs/[a-z0-9-]+/gaps")]
    private static partial Regex GapsLink();

    [GeneratedRegex(@"/invitations/[A-Za-z0-9_-]+\?answer=accept")]
    private static partial Regex AcceptLink();
}
