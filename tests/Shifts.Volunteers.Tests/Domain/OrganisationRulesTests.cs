using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Tests.Domain;

public sealed class OrganisationRulesTests
{
    [Theory]
    [InlineData("kv-mitte-ost", true)]
    [InlineData("a", true)]
    [InlineData("a1-b2", true)]
    [InlineData("", false)]
    [InlineData("Upper", false)]
    [InlineData("trailing-", false)]
    [InlineData("-leading", false)]
    [InlineData("double--hyphen", false)]
    [InlineData("under_score", false)]
    [InlineData("line\n", false)]
    public void A_slug_is_lower_case_kebab(string slug, bool valid) => Assert.Equal(valid, OrganisationRules.IsSlug(slug));

    [Fact]
    public void A_slug_is_at_most_60_characters() =>
        Assert.Equal((true, false), (OrganisationRules.IsSlug(new string('a', 60)), OrganisationRules.IsSlug(new string('a', 61))));

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("W. Europe Standard Time", false)]
    [InlineData("Mars/Olympus", false)]
    [InlineData("", false)]
    public void A_time_zone_is_an_iana_zone_the_server_knows(string zone, bool valid)
    {
        var errors = new ValidationErrors();
        OrganisationRules.TimeZone(errors, zone, required: true);
        Assert.Equal(valid ? [] : ["timeZone"], Fields.Of(errors));
    }

    [Fact]
    public void A_time_zone_is_required_only_when_creating()
    {
        var creating = new ValidationErrors();
        OrganisationRules.TimeZone(creating, null, required: true);
        var patching = new ValidationErrors();
        OrganisationRules.TimeZone(patching, null, required: false);
        Assert.Equal(["timeZone"], Fields.Of(creating));
        Assert.Empty(Fields.Of(patching));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(24 * 30, true)]
    [InlineData(24 * 30 + 1, false)]
    [InlineData(-1, false)]
    public void The_cancellation_deadline_is_between_zero_and_thirty_days(int hours, bool valid)
    {
        var errors = new ValidationErrors();
        OrganisationRules.CancellationDeadline(errors, TimeSpan.FromHours(hours));
        Assert.Equal(!valid, errors.Any);
    }

    [Fact]
    public void Gap_alert_lead_times_are_at_most_five_distinct_durations_between_an_hour_and_thirty_days()
    {
        static bool Valid(params double[] hours)
        {
            var errors = new ValidationErrors();
            OrganisationRules.GapAlertLeadTimes(errors, [.. hours.Select(TimeSpan.FromHours)]);
            return !errors.Any;
        }

        Assert.True(Valid());
        Assert.True(Valid(48, 24));
        Assert.True(Valid(1, 24 * 30));
        Assert.True(Valid(1, 2, 3, 4, 5));
        Assert.False(Valid(1, 2, 3, 4, 5, 6));
        Assert.False(Valid(0.5));
        Assert.False(Valid(24 * 30 + 1));
        Assert.False(Valid(24, 24));
    }
}
