using Shifts.Web.Api;
using Shifts.Web.Components.Personal;
using static Shifts.Web.Tests.Personal.PersonalData;

namespace Shifts.Web.Tests.Personal;

/// <summary>The past shifts on /me/shifts: asked for with ?past=1, then the list, its absence or its error.</summary>
public sealed class PastShiftsTests : ComponentTest
{
    private IRenderedComponent<PastShifts> Section(bool shown, IReadOnlyList<MyAgendaClaim>? past = null, string? error = null, Func<string?, string?>? zoneOf = null) =>
        Render<PastShifts>(p => p
            .Add(c => c.Shown, shown)
            .Add(c => c.Error, error)
            .Add(c => c.Past, past ?? [])
            .Add(c => c.MemberZones, [("kv-mitte-ost", Berlin)])
            .Add(c => c.ZoneOf, zoneOf ?? (_ => Berlin))
            .Add(c => c.Now, Now));

    [Fact]
    public void Hidden_it_offers_the_link_that_shows_it()
    {
        var section = Section(shown: false, past: [new MyAgendaClaim(Guid.NewGuid(), "confirmed", MyShift(Now.AddDays(-7)))]);

        Assert.Equal("Vergangene Schichten", section.Find("h2").TextContent);
        Assert.Equal("/me/shifts?past=1#past", section.Find("a.button").GetAttribute("href"));
        Assert.Empty(section.FindAll("li"));
    }

    [Fact]
    public void Shown_it_lists_the_claims_in_their_organisations_zone_and_offers_to_hide_them()
    {
        string? asked = "none";
        var shifts = new[] { MyShift(Now.AddDays(-7), title: "Standbetreuung"), MyShift(Now.AddDays(-30), title: "Aufbau") };
        var section = Section(shown: true, past: [.. shifts.Select(s => new MyAgendaClaim(Guid.NewGuid(), "confirmed", s))], zoneOf: org => { asked = org; return Berlin; });

        Assert.Equal("Die letzten zwölf Monate, neueste zuerst (2).", section.Find("p.small").TextContent);
        Assert.Equal(["Standbetreuung", "Aufbau"], section.FindAll("li h3").Select(h => h.TextContent.Trim()));
        Assert.Equal("kv-mitte-ost", asked);
        Assert.Equal("/me/shifts#past", section.FindAll("a").Last().GetAttribute("href"));
    }

    [Fact]
    public void Shown_with_none_it_says_so()
    {
        var section = Section(shown: true);

        Assert.Equal("In den letzten zwölf Monaten keine vergangenen Schichten.", section.Find("p").TextContent);
        Assert.Empty(section.FindAll("li"));
    }

    [Fact]
    public void An_error_is_said_instead_of_the_list()
    {
        var section = Section(shown: true, past: [new MyAgendaClaim(Guid.NewGuid(), "confirmed", MyShift(Now.AddDays(-7)))], error: "Gerade nicht erreichbar.");

        Assert.Equal("Gerade nicht erreichbar.", section.Find("[role=alert]").TextContent);
        Assert.Empty(section.FindAll("li"));
    }
}
