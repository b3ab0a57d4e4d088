using Shifts.Web.Components.Personal;

namespace Shifts.Web.Tests.Personal;

/// <summary>The reminder lead times of the profile form: the boxes offered, their words, and what may be saved.</summary>
public sealed class LeadTimesTests : ComponentTest
{
    private IRenderedComponent<LeadTimePicker> Picker(TimeSpan[] chosen, string? error = null) =>
        Render<LeadTimePicker>(p => p.Add(c => c.Chosen, chosen).Add(c => c.Error, error));

    [Fact]
    public void The_five_usual_lead_times_are_offered_longest_first_with_the_chosen_ones_ticked()
    {
        var picker = Picker([TimeSpan.FromHours(24), TimeSpan.FromHours(2)]);

        var boxes = picker.FindAll("input[type=checkbox][name=lead]");
        Assert.Equal(["P7D", "P2D", "P1D", "PT2H", "PT1H"], boxes.Select(b => b.GetAttribute("value")));
        Assert.Equal(["P1D", "PT2H"], boxes.Where(b => b.HasAttribute("checked")).Select(b => b.GetAttribute("value")));
        Assert.Equal(["1 Woche vorher", "2 Tage vorher", "24 Stunden vorher", "2 Stunden vorher", "1 Stunde vorher"],
            picker.FindAll("label span").Select(s => s.TextContent));
        // Each box is labelled by its own label.
        Assert.All(picker.FindAll("label"), label => Assert.NotNull(picker.Find($"#{label.GetAttribute("for")}")));
    }

    [Fact]
    public void A_lead_time_set_elsewhere_is_offered_too_so_saving_keeps_it()
    {
        var picker = Picker([TimeSpan.FromMinutes(30), TimeSpan.FromDays(14)]);

        var boxes = picker.FindAll("input[name=lead]");
        Assert.Equal(["P14D", "P7D", "P2D", "P1D", "PT2H", "PT1H", "PT30M"], boxes.Select(b => b.GetAttribute("value")));
        Assert.Equal(["P14D", "PT30M"], boxes.Where(b => b.HasAttribute("checked")).Select(b => b.GetAttribute("value")));
        Assert.Equal("2 Wochen vorher", picker.FindAll("label span")[0].TextContent);
        Assert.Equal("30 Minuten vorher", picker.FindAll("label span")[^1].TextContent);
    }

    [Fact]
    public void An_error_is_announced_and_tied_to_the_group()
    {
        var picker = Picker([], "Bitte wähle höchstens 5 Zeiten.");

        Assert.Equal("Bitte wähle höchstens 5 Zeiten.", picker.Find("#leads-error[role=alert]").TextContent);
        Assert.Equal("leads-hint leads-error", picker.Find("fieldset").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void In_English_the_lead_times_read_English()
    {
        Speak("en");
        var picker = Picker([]);

        Assert.Equal(["1 week before", "2 days before", "24 hours before", "2 hours before", "1 hour before"], picker.FindAll("label span").Select(s => s.TextContent));
    }

    [Fact]
    public void Ticked_boxes_become_durations_longest_first_and_one_day_twice_is_once()
    {
        var (durations, error) = LeadTimes.Parse(["PT1H", "P7D", "P1D", "PT24H", "", null]);

        Assert.Null(error);
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromDays(1), TimeSpan.FromHours(1)], durations);
    }

    [Fact]
    public void No_box_ticked_is_no_reminder_not_an_error()
    {
        Assert.Equal(([], null), (LeadTimes.Parse([]).Durations.ToArray(), LeadTimes.Parse([]).ErrorKey));
    }

    [Fact]
    public void More_than_five_lead_times_are_refused_before_the_API_is_asked()
    {
        var (_, error) = LeadTimes.Parse(["P7D", "P2D", "P1D", "PT2H", "PT1H", "PT30M"]);

        Assert.Equal("profile.leads.tooMany", error);
    }

    [Theory]
    [InlineData("PT1M")]
    [InlineData("P15D")]
    [InlineData("nonsense")]
    [InlineData("-PT1H")]
    public void A_lead_time_outside_five_minutes_to_fourteen_days_is_refused(string value)
    {
        Assert.Equal("profile.leads.invalid", LeadTimes.Parse([value]).ErrorKey);
    }
}
