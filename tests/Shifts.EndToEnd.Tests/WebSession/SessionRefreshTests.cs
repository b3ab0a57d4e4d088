using System.Net;
using System.Net.Http.Json;
using Shifts.EndToEnd.Tests.Browser;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.WebSession;

/// <summary>
/// The system with access tokens of 90 seconds (Auth:AccessTokenLifetime; its lower bound is one
/// minute): shorter than the web app's two-minute margin, so every page request finds its token
/// about to expire and renews the session first (Session/SessionRefresh.cs).
/// </summary>
public sealed class ShortTokensSystem() : ShiftsSystem(volunteersSettings: new Dictionary<string, string?> { ["Auth:AccessTokenLifetime"] = "00:01:30" });

[CollectionDefinition(nameof(ShortTokensCollection))]
public sealed class ShortTokensCollection : ICollectionFixture<ShortTokensSystem>;

/// <summary>Transparent refresh: the person never sees it, the cookie follows the API's token rotation.</summary>
[Collection(nameof(ShortTokensCollection))]
public sealed class SessionRefreshTests(ShortTokensSystem system)
{
    private readonly SessionTickets _tickets = new(system.KeyRing);

    [Fact]
    public async Task A_page_request_near_the_access_tokens_end_renews_the_cookie_and_the_person_stays_signed_in()
    {
        var person = await People.NewAsync(system, "Paul Fischer");
        using var browser = new WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, person.Email);
        var first = _tickets.Tokens(Cookie(browser));
        Assert.True(first.ExpiresAt - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(2), "the test needs tokens inside the refresh margin");

        var page = await browser.GetAsync("/not-found");

        Assert.True(page.SignedIn);
        Assert.NotNull(page.Cookie("shifts"));
        var second = _tickets.Tokens(Cookie(browser));
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.True(second.ExpiresAt >= first.ExpiresAt);

        // And again with the new cookie: the session goes on, one rotation per request.
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);
        Assert.NotEqual(second.RefreshToken, _tickets.Tokens(Cookie(browser)).RefreshToken);
        await AssertSessionAliveAsync(browser);
    }

    [Fact]
    public async Task Two_page_requests_with_the_same_old_cookie_share_one_refresh_and_the_session_is_not_revoked()
    {
        var person = await People.NewAsync(system, "Hanna Wolf");
        using var browser = new WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, person.Email);
        using var tab = browser.Copy();
        using var late = browser.Copy();
        var old = _tickets.Tokens(Cookie(browser));

        // Two tabs at once, both with the cookie whose refresh token is about to be spent.
        var answers = await Task.WhenAll(browser.GetAsync("/not-found"), tab.GetAsync("/not-found"));

        Assert.All(answers, a => Assert.True(a.SignedIn, "both tabs are still signed in"));
        var renewed = new[] { _tickets.Tokens(Cookie(browser)), _tickets.Tokens(Cookie(tab)) };
        Assert.All(renewed, t => Assert.NotEqual(old.RefreshToken, t.RefreshToken));
        Assert.Equal(renewed[0].RefreshToken, renewed[1].RefreshToken);

        // A third request with the old cookie a moment later (a prefetch, a slow tab) gets the same pair, not a reuse alarm.
        Assert.True((await late.GetAsync("/not-found")).SignedIn);
        Assert.Equal(renewed[0].RefreshToken, _tickets.Tokens(Cookie(late)).RefreshToken);

        // Both tabs go on, each with the cookie it was given.
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);
        Assert.True((await tab.GetAsync("/not-found")).SignedIn);
        await AssertSessionAliveAsync(browser);
    }

    [Fact]
    public async Task After_logout_a_copy_of_the_old_cookie_no_longer_signs_in()
    {
        var person = await People.NewAsync(system, "Tom Richter");
        using var browser = new WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, person.Email);
        var page = await browser.GetAsync("/not-found");
        using var copy = browser.Copy();

        var logout = await browser.SubmitAsync("/not-found", page.Form("/logout"));
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal("/?loggedOut=1", logout.Location);
        Assert.False(browser.Cookies.ContainsKey("shifts"));

        // The copy still holds a ticket, but its refresh token is revoked: the next page ends it.
        var stolen = await copy.GetAsync("/not-found");
        Assert.False(stolen.SignedIn);
        Assert.False(copy.Cookies.ContainsKey("shifts"), "the dead cookie is deleted");
    }

    /// <remarks>
    /// Two replicas cannot share one refresh: the second presents a just-spent token, which the
    /// volunteers service refuses with 409 <c>refresh-token-superseded</c> within its grace instead of
    /// revoking the family (Login/RefreshTokens.cs), and that replica goes on with its access token.
    /// </remarks>
    [Fact]
    public async Task Two_requests_with_the_same_old_cookie_at_two_replicas_both_stay_signed_in_and_the_session_is_not_revoked()
    {
        await using var replicaB = new ServiceFactory<Shifts.Web.WebService>(ShiftsSystem.WebSettings(system.Gateway.BaseAddress!, system.KeyRing));
        var b = await Task.Run(replicaB.Start);
        var person = await People.NewAsync(system, "Nele Koch");
        using var atA = new WebClient(system.WebAddress);
        await atA.LogInAsync(system, person.Email);
        using var atB = atA.Copy(b);

        // A tab's request reaches replica A, another's replica B, both with the cookie before either refresh.
        var answers = await Task.WhenAll(atA.GetAsync("/not-found"), atB.GetAsync("/not-found"));

        Assert.All(answers, a => Assert.True(a.SignedIn, "both requests are answered for the signed-in person"));
        Assert.True((await atA.GetAsync("/not-found")).SignedIn, "the cookie from A still signs in");
        await AssertSessionAliveAsync(atA);
    }

    /// <summary>The newest refresh token in the cookie still renews at the API: its family was not revoked.</summary>
    private async Task AssertSessionAliveAsync(WebClient browser)
    {
        var tokens = _tickets.Tokens(Cookie(browser));
        await Http.ExpectAsync(HttpStatusCode.OK, await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }));
    }

    private static string Cookie(WebClient browser) => SessionTickets.CookieValue(browser.Cookies, "shifts") ?? throw new InvalidOperationException("no session cookie");
}
