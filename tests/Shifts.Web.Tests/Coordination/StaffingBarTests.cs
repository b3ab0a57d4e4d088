using System.Globalization;
using Shifts.Web.Components.Coordination;

namespace Shifts.Web.Tests.Coordination;

/// <summary>The staffing bar of the gap dashboard and the staffing page: its shapes, colours and words.</summary>
public sealed class StaffingBarTests : ComponentTest
{
    private static double X(AngleSharp.Dom.IElement element, string attribute) =>
        double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void A_shift_below_its_minimum_is_red_with_the_minimum_marked_and_says_how_many_are_missing()
    {
        var bar = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(Confirmed: 1, Minimum: 3, Capacity: 4, Waitlisted: 0)));

        Assert.Contains("short", bar.Find("div.staffing").ClassList);
        var confirmed = bar.Find("rect.confirmed");
        Assert.Equal(25, X(confirmed, "width"));
        Assert.Equal(75, X(bar.Find("line.minimum"), "x1"));
        Assert.Equal(3, bar.FindAll("line.divider").Count);
        var words = "1 von 4 Plätzen besetzt · 2 fehlen bis zum Minimum von 3";
        Assert.Equal(words, bar.Find("p.staffing-words").TextContent);
        Assert.Equal(words, bar.Find("svg").GetAttribute("aria-label"));
        Assert.Equal("img", bar.Find("svg").GetAttribute("role"));
    }

    [Theory]
    [InlineData("de", "1 von 2 Plätzen besetzt · 1 fehlt bis zum Minimum von 2")]
    [InlineData("en", "1 of 2 places taken · 1 short of the minimum of 2")]
    public void One_missing_person_is_said_in_the_singular(string language, string words)
    {
        Speak(language);
        var bar = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(Confirmed: 1, Minimum: 2, Capacity: 2, Waitlisted: 0)));

        Assert.Equal(words, bar.Find("svg").GetAttribute("aria-label"));
    }

    [Fact]
    public void From_the_minimum_on_it_is_open_and_says_who_is_invited_and_who_waits()
    {
        Speak("en");
        var bar = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(Confirmed: 2, Minimum: 2, Capacity: 5, Waitlisted: 1, Invited: 2)));

        Assert.Contains("open", bar.Find("div.staffing").ClassList);
        var invited = bar.Find("rect.invited");
        Assert.Equal(40, X(invited, "x"));
        Assert.Equal(40, X(invited, "width"));
        Assert.Equal("2 of 5 places taken · minimum 2 reached · 2 invited · 1 waiting", bar.Find("p.staffing-words").TextContent);
    }

    [Fact]
    public void A_full_shift_fills_the_bar_and_an_empty_one_draws_no_confirmed_part()
    {
        var full = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(3, 2, 3, 0)));
        var empty = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(0, 0, 3, 0)));

        Assert.Contains("full", full.Find("div.staffing").ClassList);
        Assert.Equal(100, X(full.Find("rect.confirmed"), "width"));
        Assert.Empty(empty.FindAll("rect.confirmed"));
        Assert.Empty(empty.FindAll("line.minimum"));
    }

    [Fact]
    public void A_place_beyond_capacity_widens_the_scale_instead_of_overflowing_the_bar()
    {
        var staffing = new Staffing(Confirmed: 5, Minimum: 2, Capacity: 4, Waitlisted: 0);
        var bar = Render<StaffingBar>(p => p.Add(b => b.Value, staffing).Add(b => b.ShowWords, false));

        Assert.Equal(5, staffing.Scale);
        Assert.Equal(100, X(bar.Find("rect.confirmed"), "width"));
        Assert.Equal(40, X(bar.Find("line.minimum"), "x1"));
        Assert.Empty(bar.FindAll("p.staffing-words"));
    }

    [Fact]
    public void Many_places_are_not_cut_into_slivers()
    {
        var bar = Render<StaffingBar>(p => p.Add(b => b.Value, new Staffing(10, 20, 40, 0)));
        Assert.Empty(bar.FindAll("line.divider"));
        Assert.Equal(25, X(bar.Find("rect.confirmed"), "width"));
    }
}
