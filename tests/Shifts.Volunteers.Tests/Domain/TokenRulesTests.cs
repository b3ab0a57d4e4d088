using Shifts.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;

namespace Shifts.Volunteers.Tests.Domain;

/// <summary>Login-link, refresh and confirmation tokens: what counts as one of ours, and what a token spent before gets.</summary>
public sealed class TokenRulesTests
{
    [Fact]
    public void A_new_token_is_43_characters_of_base64url_and_hashes_to_what_is_stored()
    {
        var (token, hash) = OpaqueTokens.Create();
        Assert.Equal(OpaqueTokens.Length, token.Length);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        Assert.Equal(hash, OpaqueTokens.HashOf(token));
        Assert.NotEqual(token, OpaqueTokens.Create().Token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // outside the alphabet
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // stray low bits: a second spelling of 32 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters
    public void Anything_else_is_no_token_of_ours_and_never_an_exception(string? token) => Assert.Null(OpaqueTokens.HashOf(token));

    [Fact]
    public void A_confirmation_token_is_an_opaque_token_with_spaces_around_it_forgiven()
    {
        var (token, hash) = ConsentLinks.NewToken();
        Assert.Equal(hash, ConsentLinks.HashOf($"  {token} "));
        Assert.Null(ConsentLinks.HashOf("   "));
        Assert.Null(ConsentLinks.HashOf(new string('A', 201)));
        Assert.Equal(hash, LoginLinks.HashOf(token));
    }

    [Theory]
    [InlineData(null, 7 * 24)]
    [InlineData("2.00:00:00", 48)]
    [InlineData("00:00:00", 7 * 24)]
    [InlineData("-1.00:00:00", 7 * 24)]
    [InlineData("soon", 7 * 24)]
    public void A_confirmation_link_lives_its_configured_lifetime_or_seven_days(string? setting, int hours)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Consent:RequestLifetime"] = setting }).Build();
        Assert.Equal(TimeSpan.FromHours(hours), ConsentLinks.Lifetime(configuration));
    }

    [Fact]
    public void A_confirmation_link_points_into_the_web_app_under_its_public_address()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Shifts:PublicBaseUrl"] = "https://shifts.example/app" }).Build();
        Assert.Equal(new Uri("https://shifts.example/app/join/confirm?token=abc"), ConsentLinks.Link(configuration, ConsentLinks.MembershipPath, "abc"));
    }

    [Fact]
    public void A_token_spent_within_the_grace_is_superseded_and_the_session_goes_on()
    {
        var family = Guid.NewGuid();
        var now = new DateTimeOffset(2026, 6, 13, 10, 0, 0, TimeSpan.Zero);
        var grace = TimeSpan.FromSeconds(30);
        Assert.Equal(new Rotation.Superseded(family), RefreshReuse.Judge(family, now.AddSeconds(-29), revoked: false, now, grace));
        Assert.Equal(new Rotation.Reused(family), RefreshReuse.Judge(family, now.AddSeconds(-30), revoked: false, now, grace));
        Assert.Equal(new Rotation.Reused(family), RefreshReuse.Judge(family, now.AddHours(-1), revoked: false, now, grace));
    }

    [Fact]
    public void A_token_of_a_revoked_session_presented_again_is_reuse_even_within_the_grace()
    {
        var family = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new Rotation.Reused(family), RefreshReuse.Judge(family, now.AddSeconds(-1), revoked: true, now, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Without_a_grace_every_reuse_ends_the_session() =>
        Assert.IsType<Rotation.Reused>(RefreshReuse.Judge(Guid.NewGuid(), DateTimeOffset.UtcNow, revoked: false, DateTimeOffset.UtcNow, TimeSpan.Zero));
}
