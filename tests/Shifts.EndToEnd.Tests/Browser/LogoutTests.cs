using System.Net;
using System.Net.Http.Json;
using Shifts.EndToEnd.Tests.WebSession;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>The footer's "log out": the cookie goes, and the API session behind it ends.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class LogoutTests(ShiftsSystem system, BrowserFixture browser)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Logging_out_ends_the_session_here_and_at_the_API(bool javaScript)
    {
        var person = await People.NewAsync(system, "Emil Braun");
        await using var context = await browser.NewContextAsync(system, Screen.Phone, javaScript: javaScript);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, person);
        var cookie = await context.SessionCookieAsync();
        Assert.NotNull(cookie);
        var refreshToken = new SessionTickets(system.KeyRing).Tokens(cookie.Value).RefreshToken;

        await page.LogoutButton().ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Query == "?loggedOut=1");

        Assert.Equal("/", page.PathOf());
        Assert.Equal("Du bist abgemeldet. Bis bald!", (await page.Locator("[role='status']").InnerTextAsync()).Trim());
        Assert.False(await page.IsSignedInAsync());
        Assert.Null(await context.SessionCookieAsync());
        Assert.Equal(1, await page.LoginLinkForm().CountAsync());

        // The refresh token the cookie held is revoked: nobody can renew the session with it.
        using var refresh = await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }
}
