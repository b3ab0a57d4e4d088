using Shifts.Web.Api;
using Shifts.Web.Components.Personal;
using Shifts.Web.Localization;
using static Shifts.Web.Tests.Personal.PersonalData;

namespace Shifts.Web.Tests.Personal;

/// <summary>The "I'm here" page of self check-in: each state it shows, and the outcome of a tap.</summary>
public sealed class HereViewTests : ComponentTest
{
    private IRenderedComponent<HereView> View(HereState state, OpenShift? shift = null, DateTimeOffset? at = null, Action? onHere = null) =>
        Render<HereView>(p => p
            .Add(c => c.State, state)
            .Add(c => c.Shift, shift)
            .Add(c => c.TimeZone, Berlin)
            .Add(c => c.Code, "c0de")
            .Add(c => c.CheckedInAt, at)
            .Add(c => c.OnHere, () => onHere?.Invoke()));

    [Fact]
    public void Before_the_tap_it_shows_the_shift_on_now_and_one_big_button_posting_the_code()
    {
        var shift = MyShift();
        var tapped = false;
        var view = View(HereState.Ask, shift, onHere: () => tapped = true);

        Assert.Equal("Ich bin da", view.Find("h1").TextContent);
        Assert.Equal(shift.Title, view.Find(".here-shift h2").TextContent);
        Assert.Equal(When.Full(shift.StartsAt, shift.EndsAt, Berlin), view.Find(".here-shift .me-when").TextContent);
        Assert.Equal("c0de", view.Find("input[name=Code]").GetAttribute("value"));
        Assert.Equal("Ich bin da", view.Find("button.here-button").TextContent);

        view.Find("form").Submit();
        Assert.True(tapped);
    }

    [Fact]
    public void Checked_in_says_when_and_thanks()
    {
        var at = new DateTimeOffset(2026, 12, 5, 9, 52, 0, TimeSpan.FromHours(1));
        var view = View(HereState.CheckedIn, MyShift(), at);

        Assert.Equal("Danke – du bist eingecheckt", view.Find("h1").TextContent);
        Assert.Equal($"Eingecheckt um {When.Time(at, Berlin)}. Eine gute Schicht!", view.Find("[role=status]").TextContent.Trim());
        Assert.Empty(view.FindAll("form"));
    }

    [Fact]
    public void No_shift_now_and_a_bad_code_are_said_without_a_button()
    {
        var none = View(HereState.NoShiftNow);
        Assert.Equal("Gerade keine Schicht von dir", none.Find("h1").TextContent);
        Assert.Equal("/me/shifts", none.Find("a.button").GetAttribute("href"));
        Assert.Empty(none.FindAll("form"));

        var bad = View(HereState.BadCode);
        Assert.Equal("Dieser Code passt nicht", bad.Find("h1").TextContent);
        Assert.Contains("QR-Code", bad.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Empty(bad.FindAll("form"));
    }

    [Theory]
    [InlineData(409, "no-shift-now", HereState.NoShiftNow)]
    [InlineData(403, "check-in-code-invalid", HereState.BadCode)]
    [InlineData(404, "not-found", HereState.BadCode)]
    [InlineData(503, "unavailable", HereState.Failed)]
    public void The_apis_answer_decides_the_state(int status, string code, HereState expected) =>
        Assert.Equal(expected, HereOutcome.From(new ApiProblem(status, code, null, default)));

    [Fact]
    public void A_check_in_without_a_problem_is_checked_in() => Assert.Equal(HereState.CheckedIn, HereOutcome.From(null));
}
