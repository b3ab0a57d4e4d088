using Shifts.Volunteers.Login;

namespace Shifts.Volunteers.Tests.Domain;

public sealed class RateLimitRulesTests
{
    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(179.5, 180)]
    public void Retry_after_is_rounded_up_to_whole_seconds_and_at_least_one(double wait, int seconds) =>
        Assert.Equal(seconds, RateLimits.RetryAfterSeconds(wait));

    [Fact]
    public void The_defaults_are_valid_settings() => Assert.True(new RateLimitSettings().IsValid);

    [Fact]
    public void A_window_is_between_a_second_and_a_day_and_every_limit_at_least_one()
    {
        Assert.True(new RateLimitSettings { Window = TimeSpan.FromSeconds(1) }.IsValid);
        Assert.True(new RateLimitSettings { Window = TimeSpan.FromDays(1) }.IsValid);
        Assert.False(new RateLimitSettings { Window = TimeSpan.FromMilliseconds(999) }.IsValid);
        Assert.False(new RateLimitSettings { Window = TimeSpan.FromDays(1.5) }.IsValid);
        Assert.False(new RateLimitSettings { LinksPerAddress = 0 }.IsValid);
        Assert.False(new RateLimitSettings { SignupsPerOrganisation = 0 }.IsValid);
        Assert.False(new RateLimitSettings { LinksPerClient = 0 }.IsValid);
        Assert.False(new RateLimitSettings { SessionsPerClient = 0 }.IsValid);
    }
}
