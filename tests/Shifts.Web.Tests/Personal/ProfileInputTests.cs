using Shifts.Web.Components.Personal;

namespace Shifts.Web.Tests.Personal;

/// <summary>Quiet hours and the phone number as the profile form takes them.</summary>
public sealed class ProfileInputTests
{
    [Fact]
    public void Quiet_hours_switched_off_are_none_whatever_the_times_say()
    {
        Assert.Equal((null, null), QuietHoursInput.Parse(false, "22:00", ""));
    }

    [Fact]
    public void Quiet_hours_across_midnight_are_a_window_in_HH_mm_even_when_the_browser_sends_seconds()
    {
        var (window, error) = QuietHoursInput.Parse(true, "22:00:00", "7:30");

        Assert.Null(error);
        Assert.Equal(new Api.QuietHoursPatch("22:00", "07:30"), window);
    }

    [Theory]
    [InlineData("22:00", "")]
    [InlineData(null, "08:00")]
    [InlineData("25:00", "08:00")]
    public void Quiet_hours_without_two_times_are_refused(string? from, string? to)
    {
        Assert.Equal("profile.quiet.invalid", QuietHoursInput.Parse(true, from, to).ErrorKey);
    }

    [Fact]
    public void Quiet_hours_that_start_when_they_end_are_refused()
    {
        Assert.Equal("profile.quiet.same", QuietHoursInput.Parse(true, "22:00", "22:00").ErrorKey);
    }

    [Theory]
    [InlineData("+49 421 555 0101", true)]
    [InlineData("(0421) 12/34-56.7", true)]
    [InlineData("call me", false)]
    [InlineData("12", false)]
    public void Phone_numbers_are_checked_as_the_volunteers_service_checks_them(string phone, bool valid)
    {
        Assert.Equal(valid, PhoneNumber.IsValid(phone));
    }
}
