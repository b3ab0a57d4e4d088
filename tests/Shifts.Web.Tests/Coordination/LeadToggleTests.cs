using Shifts.Web.Components.Coordination;

namespace Shifts.Web.Tests.Coordination;

/// <summary>Naming a person on the shift lead, or taking it back, on the staffing page.</summary>
public sealed class LeadToggleTests : ComponentTest
{
    private IRenderedComponent<LeadToggle> Toggle(bool isLead, Guid id, Action<LeadToggle.LeadChange> onChange) =>
        Render<LeadToggle>(p => p
            .Add(c => c.VolunteerId, id)
            .Add(c => c.Name, "Jörg")
            .Add(c => c.IsLead, isLead)
            .Add(c => c.OnChange, change => onChange(change)));

    [Fact]
    public void A_person_who_does_not_lead_is_offered_the_lead_and_the_form_names_them()
    {
        var id = Guid.NewGuid();
        LeadToggle.LeadChange? asked = null;
        var toggle = Toggle(isLead: false, id, c => asked = c);

        Assert.Empty(toggle.FindAll(".badge"));
        var button = toggle.Find("form button");
        Assert.Equal("Zur Leitung machen", button.TextContent);
        Assert.Equal("Zur Leitung machen: Jörg", button.GetAttribute("aria-label"));

        toggle.Find("form").Submit();
        Assert.Equal(new LeadToggle.LeadChange(id, "Jörg", Lead: true), asked);
    }

    [Fact]
    public void A_lead_carries_the_badge_and_the_button_takes_it_back()
    {
        var id = Guid.NewGuid();
        LeadToggle.LeadChange? asked = null;
        var toggle = Toggle(isLead: true, id, c => asked = c);

        Assert.Equal("Leitung", toggle.Find(".badge.ok").TextContent);
        Assert.Equal("Leitung zurücknehmen", toggle.Find("form button").TextContent);

        toggle.Find("form").Submit();
        Assert.Equal(new LeadToggle.LeadChange(id, "Jörg", Lead: false), asked);
    }
}
