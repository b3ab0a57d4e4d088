using Shifts.Web.Components.Personal;
using Shifts.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Shifts.Web.Tests.Personal;

/// <summary>The give-back deadline in words, in the organisation's zone, from "now" (Thursday 3 December 2026, 12:00 Berlin).</summary>
public sealed class GiveBackTests : ComponentTest
{
    private string Moment(DateTimeOffset deadline, string zone = Berlin) =>
        GiveBack.Moment(Services.GetRequiredService<IStringLocalizer<MeText>>(), deadline, zone, Now);

    private static DateTimeOffset InBerlin(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Deadline_today_and_tomorrow_are_said_as_such()
    {
        Assert.Equal("heute, 18:00", Moment(InBerlin(12, 3, 18)));
        Assert.Equal("morgen, 10:00", Moment(InBerlin(12, 4, 10)));
    }

    [Fact]
    public void A_later_deadline_has_its_weekday_with_a_full_stop_and_no_year_this_year()
    {
        Assert.Equal("Sa., 5. Dez., 10:00", Moment(InBerlin(12, 5, 10)));
    }

    [Fact]
    public void A_deadline_next_year_names_the_year()
    {
        Assert.Equal("Fr., 1. Jan. 2027, 09:30", Moment(InBerlin(1, 1, 9, 30, year: 2027)));
    }

    [Fact]
    public void The_day_is_the_organisations_not_UTCs()
    {
        // 23:30 UTC on Thursday is 00:30 on Friday in Berlin.
        Assert.Equal("morgen, 00:30", Moment(new DateTimeOffset(2026, 12, 3, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void In_English_the_deadline_reads_English()
    {
        Speak("en");
        Assert.Equal("tomorrow, 10:00", Moment(InBerlin(12, 4, 10)));
        Assert.Equal("Sat 5 Dec, 10:00", Moment(InBerlin(12, 5, 10)));
    }

    [Fact]
    public void The_deadline_is_the_organisations_lead_before_the_start()
    {
        var start = InBerlin(12, 5, 10);

        Assert.Equal(InBerlin(12, 4, 10), GiveBack.Deadline(start, TimeSpan.FromHours(24)));
        Assert.True(GiveBack.StillPossible(start, TimeSpan.FromHours(24), Now));
        Assert.False(GiveBack.StillPossible(start, TimeSpan.FromHours(48), Now));
    }
}
