using Shifts.Web.Api;
using Shifts.Web.Components.Members;

namespace Shifts.Web.Tests.Members;

/// <summary>The members page's parts: the contact-details notice, the search and qualification filter, the list's rows and the "more" link.</summary>
public sealed class MemberListTests : ComponentTest
{
    private const string Org = "kv-mitte-ost";

    private static readonly IReadOnlyList<Qualification> Known = [new("first-aid", "Erste Hilfe"), new("driving-licence", "Führerschein")];

    private static readonly OrgMember Hana = new(Guid.Parse("0193a1b2-0000-7000-8000-00000000000a"), "Hana Yilmaz", "hana@example.org", "+49 421 123456", "coordinator", ["first-aid"]);

    private static readonly OrgMember Ben = new(Guid.Parse("0193a1b2-0000-7000-8000-00000000000b"), "Ben Okafor", "ben@example.org", null, "helper", []);

    private IRenderedComponent<MemberList> List(IReadOnlyList<OrgMember> members, bool filtered = false) =>
        Render<MemberList>(p => p.Add(c => c.Org, Org).Add(c => c.Members, members).Add(c => c.Qualifications, Known).Add(c => c.Filtered, filtered));

    [Fact]
    public void The_notice_says_contact_details_are_shown_and_each_view_is_logged_in_German_and_English()
    {
        var notice = Render<ContactNotice>().Find("p.notice");
        Assert.Equal("note", notice.GetAttribute("role"));
        Assert.Contains("Diese Seite zeigt Kontaktdaten; jeder Aufruf wird protokolliert.", notice.TextContent, StringComparison.Ordinal);

        Speak("en");
        Assert.Contains("This page shows contact details; each view is logged.", Render<ContactNotice>().Find("p.notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_row_names_the_member_with_a_link_their_role_qualifications_address_and_number()
    {
        var list = List([Ben, Hana]);

        var rows = list.FindAll("li.member-row");
        Assert.Equal(2, rows.Count);
        var hana = rows[1];
        Assert.Equal($"/orgs/{Org}/members/{Hana.VolunteerId}", hana.QuerySelector("a.member-name")!.GetAttribute("href"));
        Assert.Equal("Hana Yilmaz", hana.QuerySelector("a.member-name")!.TextContent);
        Assert.Equal("Koordinator*in", hana.QuerySelector(".member-role")!.TextContent);
        Assert.Equal(["Erste Hilfe"], hana.QuerySelectorAll(".member-qualifications .badge").Select(b => b.TextContent));
        Assert.Equal("mailto:hana@example.org", hana.QuerySelector("a.member-email")!.GetAttribute("href"));
        Assert.Equal("tel:+49421123456", hana.QuerySelector("a.member-phone")!.GetAttribute("href"));
        Assert.Equal("+49 421 123456", hana.QuerySelector("a.member-phone")!.TextContent);

        var ben = rows[0];
        Assert.Equal("Helfer*in", ben.QuerySelector(".member-role")!.TextContent);
        Assert.Contains("keine Qualifikationen", ben.QuerySelector(".member-qualifications")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("keine Telefonnummer", ben.QuerySelector(".member-phone")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", list.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_code_the_organisation_no_longer_lists_is_shown_as_the_code()
    {
        var list = List([Hana with { Qualifications = ["first-aid", "forklift"] }]);

        Assert.Equal(["Erste Hilfe", "forklift"], list.FindAll(".member-qualifications .badge").Select(b => b.TextContent));
    }

    [Fact]
    public void An_empty_list_says_whether_nobody_matches_or_nobody_is_there_yet()
    {
        Assert.Contains("Niemand passt zu dieser Suche.", List([], filtered: true).Markup, StringComparison.Ordinal);
        Assert.Contains("Noch keine Mitglieder.", List([]).Markup, StringComparison.Ordinal);

        Speak("en");
        Assert.Contains("Nobody matches this search.", List([], filtered: true).Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_filter_is_a_get_form_with_the_search_and_a_select_of_the_organisations_qualifications()
    {
        var filter = Render<MemberFilter>(p => p.Add(c => c.Org, Org).Add(c => c.Search, "Ha").Add(c => c.Qualification, "first-aid").Add(c => c.Qualifications, Known));

        var form = filter.Find("form");
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal($"/orgs/{Org}/members", form.GetAttribute("action"));
        Assert.Equal("search", form.GetAttribute("role"));
        Assert.Equal("Ha", filter.Find("input#member-search").GetAttribute("value"));
        Assert.Equal("member-search", filter.Find("label[for=member-search]").GetAttribute("for"));
        var options = filter.FindAll("select#member-qualification option");
        Assert.Equal(["", "first-aid", "driving-licence"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal(["Alle", "Erste Hilfe", "Führerschein"], options.Select(o => o.TextContent));
        Assert.True(options[1].HasAttribute("selected"));
        Assert.False(options[0].HasAttribute("selected"));
        Assert.Equal($"/orgs/{Org}/members", filter.Find(".members-filter-reset a").GetAttribute("href"));
    }

    [Fact]
    public void Without_a_search_the_filter_offers_no_reset_and_selects_any_qualification()
    {
        var filter = Render<MemberFilter>(p => p.Add(c => c.Org, Org).Add(c => c.Qualifications, Known));

        Assert.Empty(filter.FindAll(".members-filter-reset"));
        Assert.True(filter.FindAll("select#member-qualification option")[0].HasAttribute("selected"));
    }

    [Theory]
    [InlineData(null, null, null, "/orgs/kv-mitte-ost/members")]
    [InlineData(" Hana ", null, null, "/orgs/kv-mitte-ost/members?search=Hana")]
    [InlineData("a&b", "first-aid", "x/y+", "/orgs/kv-mitte-ost/members?search=a%26b&qualification=first-aid&after=x%2Fy%2B")]
    public void The_list_link_keeps_the_search_the_filter_and_the_cursor(string? search, string? qualification, string? after, string expected)
    {
        Assert.Equal(expected, MemberWords.ListLink(Org, search, qualification, after));
    }
}
