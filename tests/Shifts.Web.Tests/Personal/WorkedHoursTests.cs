using Shifts.Web.Components.Personal;

namespace Shifts.Web.Tests.Personal;

/// <summary>"Your hours" above the past shifts: the year's shifts and hours per organisation, in words.</summary>
public sealed class WorkedHoursTests : ComponentTest
{
    private IRenderedComponent<WorkedHours> Card(params YearHours[] rows) =>
        Render<WorkedHours>(p => p.Add(c => c.Year, 2026).Add(c => c.Rows, rows));

    [Fact]
    public void One_organisation_says_shifts_and_hours_without_naming_it()
    {
        var card = Card(new YearHours("Kreisverband Mitte/Ost", 6, 14.5m));

        Assert.Equal("Deine Stunden 2026", card.Find("h3").TextContent);
        Assert.Equal("6 Schichten, zusammen 14,5 Stunden", card.Find("li").TextContent.Trim());
        Assert.Contains("geplante Zeit", card.Find("p.small").TextContent);
    }

    [Fact]
    public void One_shift_is_said_in_the_singular_and_several_organisations_are_named()
    {
        Speak("en");
        var card = Card(new YearHours("Kreisverband Mitte/Ost", 1, 2m), new YearHours("Tafel Nord", 3, 7.25m), new YearHours("Kreisverband Nord", 0, 0m));

        Assert.Equal(["1 shift, 2 hours · Kreisverband Mitte/Ost", "3 shifts, 7.25 hours in all · Tafel Nord"],
            card.FindAll("li").Select(li => string.Join(" ", li.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
    }

    [Fact]
    public void No_shift_ended_this_year_says_so()
    {
        var card = Card(new YearHours("Kreisverband Mitte/Ost", 0, 0m));

        Assert.Equal("In diesem Jahr ist noch keine Schicht von dir vorbei.", card.Find("p").TextContent);
        Assert.Empty(card.FindAll("li"));
    }
}
