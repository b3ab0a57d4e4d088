using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Shifts.Web.Components.Pages.Members;

namespace Shifts.Web.Tests.Members;

/// <summary>The members pages whole, against a fake gateway: what they ask the API, and what they show to coordinators and admins.</summary>
public sealed class MembersPageTests : ComponentTest
{
    private const string Org = "kv-mitte-ost";
    private const string Hana = "0193a1b2-0000-7000-8000-00000000000a";

    private readonly FakeGateway _gateway = new();

    public MembersPageTests()
    {
        _gateway
            .Answer($"/api/orgs/{Org}", $$"""{"slug":"{{Org}}","name":"Kreisverband Mitte/Ost","timeZone":"Europe/Berlin","cancellationDeadline":"PT24H"}""")
            .Answer($"/api/orgs/{Org}/qualifications", """{"items":[{"code":"first-aid","name":"Erste Hilfe"}]}""")
            .Answer($"/api/orgs/{Org}/members", $$"""{"items":[{"volunteerId":"{{Hana}}","name":"Hana Yilmaz","email":"hana@example.org","phone":null,"role":"helper","qualifications":["first-aid"]}],"nextCursor":"c/2+"}""")
            .Answer($"/api/orgs/{Org}/members/{Hana}", $$"""{"volunteerId":"{{Hana}}","name":"Hana Yilmaz","email":"hana@example.org","phone":"+49 421 5550123","role":"helper","qualifications":[]}""");
        Me("coordinator");
        _gateway.Register(Services);
    }

    private void Me(string role) =>
        _gateway.Answer("/api/me", $$$"""{"id":"0193a1b2-0000-7000-8000-0000000000c0","name":"Carla Brandt","email":"carla@example.org","phone":null,"locale":"de","memberships":[{"org":"{{{Org}}}","role":"{{{role}}}"}],"notificationPreferences":{"email":true,"reminderLeadTimes":[],"quietHours":null}}""");

    private IRenderedComponent<T> Open<T>(string address, Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render(parameters);
    }

    [Fact]
    public void The_list_asks_for_the_search_filter_and_cursor_and_shows_the_notice_rows_and_a_more_link_that_keeps_them()
    {
        var page = Open<Components.Pages.Members.Members>($"/orgs/{Org}/members?search=Ha&qualification=first-aid&after=c1", p => p.Add(c => c.Org, Org));

        Assert.Contains($"/api/orgs/{Org}/members?limit=50&search=Ha&qualification=first-aid&cursor=c1", _gateway.Asked);
        Assert.Contains("jeder Aufruf wird protokolliert", page.Find(".members-notice").TextContent, StringComparison.Ordinal);
        Assert.Equal("Hana Yilmaz", page.Find(".member-row a.member-name").TextContent);
        Assert.Equal("Erste Hilfe", page.Find(".member-row .member-qualifications .badge").TextContent);
        Assert.True(page.Find("select#member-qualification option[value=first-aid]").HasAttribute("selected"));
        Assert.Equal($"/orgs/{Org}/members?search=Ha&qualification=first-aid&after=c%2F2%2B", page.Find(".members-more a").GetAttribute("href"));
        Assert.Equal($"/orgs/{Org}/members?search=Ha&qualification=first-aid", page.Find(".members-paging a").GetAttribute("href"));
    }

    [Fact]
    public void A_helper_is_told_the_list_is_for_coordinators_and_sees_no_contact_details()
    {
        _gateway.Answer($"/api/orgs/{Org}/members", """{"code":"forbidden"}""", HttpStatusCode.Forbidden);

        var page = Open<Components.Pages.Members.Members>($"/orgs/{Org}/members", p => p.Add(c => c.Org, Org));

        Assert.Equal("Das sehen nur die Koordinator*innen von Kreisverband Mitte/Ost.", page.Find("p.notice.error").TextContent);
        Assert.Empty(page.FindAll(".member-row"));
        Assert.Empty(page.FindAll(".members-actions"));
    }

    [Fact]
    public void A_coordinator_on_a_members_page_can_tick_qualifications_and_remove_a_helper_but_sees_no_role_button()
    {
        var page = Open<MemberPage>($"/orgs/{Org}/members/{Hana}", p => p.Add(c => c.Org, Org).Add(c => c.VolunteerId, Guid.Parse(Hana)));

        Assert.Equal("Hana Yilmaz", page.Find("h1").TextContent);
        Assert.Equal("tel:+494215550123", page.Find(".member-facts a[href^=tel]").GetAttribute("href"));
        Assert.False(page.Find("input#q-first-aid").HasAttribute("checked"));
        Assert.Empty(page.FindAll(".member-role-card button"));
        Assert.Contains("Hana Yilmaz verliert den Zugang zu den Schichten von Kreisverband Mitte/Ost", page.Find(".member-remove form p").TextContent, StringComparison.Ordinal);
        Assert.Equal("Ja, Hana Yilmaz entfernen", page.Find(".member-remove button").TextContent);
    }

    [Fact]
    public void An_admin_on_a_members_page_gets_the_role_form()
    {
        Me("admin");

        var page = Open<MemberPage>($"/orgs/{Org}/members/{Hana}", p => p.Add(c => c.Org, Org).Add(c => c.VolunteerId, Guid.Parse(Hana)));

        Assert.Equal("Rolle ändern", page.Find(".member-role-card button[type=submit]").TextContent);
        Assert.True(page.Find("input#role-helper").HasAttribute("checked"));
    }

    [Fact]
    public void A_coordinator_cannot_remove_another_coordinator_and_reads_why()
    {
        _gateway.Answer($"/api/orgs/{Org}/members/{Hana}", $$"""{"volunteerId":"{{Hana}}","name":"Hana Yilmaz","email":"hana@example.org","phone":null,"role":"coordinator","qualifications":["first-aid"]}""");

        var page = Open<MemberPage>($"/orgs/{Org}/members/{Hana}", p => p.Add(c => c.Org, Org).Add(c => c.VolunteerId, Guid.Parse(Hana)));

        Assert.Empty(page.FindAll(".member-remove button"));
        Assert.Contains("Koordinierende und Admins entfernen nur die Admins der Organisation.", page.Find(".member-remove").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("input#q-first-aid").HasAttribute("checked"));
    }

    [Fact]
    public void The_invitation_page_lists_pending_invitations_and_gives_a_coordinator_no_role_choice()
    {
        _gateway.Answer($"/api/orgs/{Org}/members/invitations", """{"items":[{"id":"0193a1b2-0000-7000-8000-0000000000d0","email":"dora@example.org","name":"Dora Neumann","role":"helper","qualifications":[],"state":"pending","createdAt":"2026-12-03T11:00:00Z","expiresAt":"2026-12-10T11:00:00Z"}]}""");

        var coordinator = Open<Invite>($"/orgs/{Org}/members/invite", p => p.Add(c => c.Org, Org));
        Assert.Empty(coordinator.FindAll("select#invite-role"));
        Assert.Contains("Dora Neumann", coordinator.Find(".pending-list").TextContent, StringComparison.Ordinal);
        Assert.Equal("Einladung an Dora Neumann zurückziehen", coordinator.Find(".pending-list button").GetAttribute("aria-label"));
        Assert.Contains("Eingeladene werden Helfer*innen", coordinator.Markup, StringComparison.Ordinal);
        Assert.Contains("jeder Aufruf wird protokolliert", coordinator.Find(".members-notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_chooses_the_invited_persons_role()
    {
        Me("admin");
        _gateway.Answer($"/api/orgs/{Org}/members/invitations", """{"items":[]}""");

        var admin = Open<Invite>($"/orgs/{Org}/members/invite", p => p.Add(c => c.Org, Org));

        Assert.Equal(["helper", "coordinator", "admin"], admin.FindAll("select#invite-role option").Select(o => o.GetAttribute("value")));
        Assert.Contains("Keine offenen Einladungen.", admin.Markup, StringComparison.Ordinal);
    }
}
