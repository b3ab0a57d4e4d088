using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Welcome;

[Collection(nameof(NotificationsCollection))]
public sealed class WelcomeTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_new_helper_is_welcomed_with_the_next_newcomer_friendly_shifts_the_events_service_lists()
    {
        var org = await fixture.CreateOrganisationAsync();
        var start = NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0));
        fixture.NewcomerShifts[org] =
        [
            NotificationsFixture.Shift(org, start, title: "Flyer verteilen", eventTitle: "Infostand Marktplatz"),
            NotificationsFixture.Shift(org, start.AddDays(7), title: "Kuchenstand", eventTitle: "Stadtteilfest"),
        ];
        var helper = await fixture.CreateVolunteerAsync("de");

        await fixture.PublishAsync(new MembershipChanged(helper.Id, org, "helper"));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Willkommen"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("* Infostand Marktplatz – Flyer verteilen", text, StringComparison.Ordinal);
        Assert.Contains("Samstag, 15. Juni 2030, 10:00–12:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains("* Stadtteilfest – Kuchenstand", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.PublicBaseUrl}/orgs/{org}/shifts", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_answer_from_the_events_service_the_welcome_goes_out_without_the_list()
    {
        var org = await fixture.CreateOrganisationAsync();
        fixture.SilentOrganisations[org] = true;
        var helper = await fixture.CreateVolunteerAsync("en");

        await fixture.PublishAsync(new MembershipChanged(helper.Id, org, "helper"));

        var mail = Assert.Single(await fixture.MailsAsync(helper.Email, "Welcome"));
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("As soon as new shifts are announced", text, StringComparison.Ordinal);
        Assert.DoesNotContain("* ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_first_membership_in_an_organisation_is_welcomed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de", org: org, role: "helper");
        Assert.Single(await fixture.MailsAsync(helper.Email, "Willkommen"));

        await fixture.PublishAndWaitAsync(new MembershipChanged(helper.Id, org, "coordinator"));
        await fixture.PublishAndWaitAsync(new MembershipChanged(helper.Id, org, "helper"));
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");

        Assert.Equal(["welcome"], (await fixture.DeliveriesToAsync(helper.Id)).Select(d => d.Kind));
        Assert.Empty(await fixture.DeliveriesToAsync(coordinator.Id));
    }
}
