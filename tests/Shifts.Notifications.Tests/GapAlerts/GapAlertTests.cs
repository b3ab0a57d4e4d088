using Shifts.Contracts;

namespace Shifts.Notifications.Tests.GapAlerts;

[Collection(nameof(NotificationsCollection))]
public sealed class GapAlertTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_gap_alert_reaches_each_coordinator_once_listing_all_short_shifts_and_helpers_get_none()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var admin = await fixture.CreateVolunteerAsync("en", org: org, role: "admin");
        var helper = await fixture.CreateVolunteerAsync("de", org: org, role: "helper");
        var otherOrgsCoordinator = await fixture.CreateVolunteerAsync("de", org: await fixture.CreateOrganisationAsync(), role: "coordinator");
        var start = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0));
        var gaps = new List<UnderstaffedShift>
        {
            new(NotificationsFixture.Shift(org, start, title: "Aufbau"), 1, 3),
            new(NotificationsFixture.Shift(org, start.AddHours(4), title: "Ausschank"), 0, 2),
            new(NotificationsFixture.Shift(org, start.AddHours(8), title: "Abbau", eventTitle: "Stadtteilfest"), 2, 4),
        };
        var alert = new ShiftsUnderstaffed(org, TimeSpan.FromHours(48), gaps);
        var messageId = Guid.NewGuid();

        await fixture.PublishAsync(alert, messageId);
        await fixture.PublishAsync(alert, messageId); // redelivered

        var german = Assert.Single(await fixture.MailsAsync(coordinator.Email, "unterbesetzt"));
        Assert.Contains("3 Schichten noch unterbesetzt", german.Subject, StringComparison.Ordinal);
        var text = await fixture.Inbox.PlainTextAsync(german.Id);
        Assert.Contains("Sommerfest am Weserwehr – Aufbau: 1 von mindestens 3 eingetragen", text, StringComparison.Ordinal);
        Assert.Contains("Sommerfest am Weserwehr – Ausschank: 0 von mindestens 2 eingetragen", text, StringComparison.Ordinal);
        Assert.Contains("Stadtteilfest – Abbau: 2 von mindestens 4 eingetragen", text, StringComparison.Ordinal);
        Assert.Contains("Samstag, 15. Juni 2030, 10:00–12:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.PublicBaseUrl}/shifts/{gaps[1].Shift.ShiftId}", text, StringComparison.Ordinal);

        var english = Assert.Single(await fixture.MailsAsync(admin.Email, "short of people"));
        Assert.Contains("Stadtteilfest – Abbau: 2 of at least 4 signed up", await fixture.Inbox.PlainTextAsync(english.Id), StringComparison.Ordinal);

        await fixture.Logs.WaitForAsync(line => line.Contains("Skipped duplicate ShiftsUnderstaffed", StringComparison.Ordinal)
                                                && line.Contains(messageId.ToString(), StringComparison.Ordinal));
        Assert.Single(await fixture.MailsAsync(coordinator.Email, "unterbesetzt", timeout: TimeSpan.Zero));
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(helper.Id), d => d.Kind == "gap-alert");
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(otherOrgsCoordinator.Id), d => d.Kind == "gap-alert");
        Assert.Empty(await fixture.MailsAsync(helper.Email, "unterbesetzt", timeout: TimeSpan.Zero));
    }

    [Fact]
    public async Task A_coordinator_who_stepped_down_gets_no_more_alerts()
    {
        var org = await fixture.CreateOrganisationAsync();
        var former = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var current = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        await fixture.PublishAndWaitAsync(new MembershipChanged(former.Id, org, "helper"));

        await fixture.PublishAndWaitAsync(new ShiftsUnderstaffed(org, TimeSpan.FromHours(24),
            [new UnderstaffedShift(NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(1)), 0, 1)]));

        Assert.Single(await fixture.MailsAsync(current.Email, "unterbesetzt"));
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(former.Id), d => d.Kind == "gap-alert");
    }
}
