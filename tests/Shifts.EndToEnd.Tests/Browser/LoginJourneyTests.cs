using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// Logging in as a volunteer does on a phone: from the start page, with the link mailed to them,
/// through the gateway like any browser, with and without JavaScript.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class LoginJourneyTests(ShiftsSystem system, BrowserFixture browser)
{
    [Fact]
    public async Task A_volunteer_on_a_phone_logs_in_from_the_start_page_with_the_mailed_link_and_lands_on_the_open_shifts()
    {
        var person = await People.NewAsync(system, "Lena Berger");
        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        var token = await page.AskForLoginLinkAsync(system, person.Email);
        Assert.Equal("/", page.PathOf());
        Assert.Contains(person.Email, await page.Locator("[role='status']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Null(await context.SessionCookieAsync());

        // Opening the link alone does not log in (mail scanners open links too): the button does.
        await page.OpenLoginLinkAsync(token);
        Assert.Null(await context.SessionCookieAsync());
        await page.LogInNowAsync();

        await AssertSignedInAtTheOpenShiftsAsync(context, page, person);
    }

    [Fact]
    public async Task The_same_login_works_with_JavaScript_off()
    {
        var person = await People.NewAsync(system, "Jonas Weber");
        await using var context = await browser.NewContextAsync(system, Screen.Phone, javaScript: false);
        var page = await context.NewPageAsync();

        await page.LogInAsync(system, person, from: "/");

        await AssertSignedInAtTheOpenShiftsAsync(context, page, person);
    }

    [Fact]
    public async Task A_used_login_link_shows_a_friendly_page_whose_form_sends_a_new_link_that_works()
    {
        var person = await People.NewAsync(system, "Mia Schulz");
        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.LogInAsync(system, person);

        // The same link again, in a browser without the session (another phone, or the link forwarded).
        await using var other = await browser.NewContextAsync(system, Screen.Phone);
        var second = await other.NewPageAsync();
        var used = await system.ReadLoginTokenAsync(person.Email);
        await second.OpenLoginLinkAsync(used);
        await second.LogInNowAsync();

        Assert.Null(await other.SessionCookieAsync());
        Assert.Equal("/login?failed=stale", new Uri(second.Url).PathAndQuery);
        Assert.Equal("Dieser Link gilt nicht mehr", (await second.Locator("h1").InnerTextAsync()).Trim());
        Assert.False(await second.IsSignedInAsync());

        // Its form asks for a new link, which logs in.
        var fresh = await second.AskForLoginLinkAsync(system, person.Email);
        Assert.NotEqual(used, fresh);
        await second.OpenLoginLinkAsync(fresh);
        await second.LogInNowAsync();
        await AssertSignedInAtTheOpenShiftsAsync(other, second, person);
    }

    [Fact]
    public async Task A_made_up_login_link_shows_the_same_friendly_page()
    {
        await using var context = await browser.NewContextAsync(system, Screen.Phone, locale: "en-GB");
        var page = await context.NewPageAsync();

        await page.OpenLoginLinkAsync("stale");
        await page.LogInNowAsync();

        Assert.Equal("This link no longer works", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal(1, await page.LoginLinkForm().CountAsync());
        Assert.Null(await context.SessionCookieAsync());
    }

    [Fact]
    public async Task The_login_button_follows_a_local_return_address_and_ignores_another_sites()
    {
        var person = await People.NewAsync(system, "Ali Yilmaz");
        await using var context = await browser.NewContextAsync(system, Screen.Phone);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        // A page behind the login sends the person to /login?returnUrl=…; the button's post keeps it.
        var token = await page.AskForLoginLinkAsync(system, person.Email);
        await page.GotoAsync($"/login?token={token}&returnUrl=%2Fnot-found%3Ffrom%3Dlogin");
        await page.LogInNowAsync();
        Assert.Equal("/not-found?from=login", new Uri(page.Url).PathAndQuery);
        Assert.True(await page.IsSignedInAsync());

        // Another site as the return address is not followed (no open redirect).
        await using var second = await browser.NewContextAsync(system, Screen.Phone);
        var other = await second.NewPageAsync();
        await other.GotoAsync("/login");
        token = await other.AskForLoginLinkAsync(system, person.Email);
        await other.GotoAsync($"/login?token={token}&returnUrl=%2F%2Fevil.example%2F");
        await other.LogInNowAsync();
        Assert.Equal(new Uri(system.Gateway.BaseAddress!, "/shifts"), new Uri(other.Url));
    }

    private async Task AssertSignedInAtTheOpenShiftsAsync(IBrowserContext context, IPage page, Person person)
    {
        var cookie = await context.SessionCookieAsync();
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal("Lax", cookie.SameSite.ToString());
        // /shifts is where a login lands; the page itself is built elsewhere, so only that it is not the login again.
        Assert.Equal("/shifts", page.PathOf());
        // At the gateway, not at the web replica's own address behind it.
        Assert.Equal(new Uri(system.Gateway.BaseAddress!, "/shifts"), new Uri(page.Url));
        Assert.Equal(0, await page.LogInNowForm().CountAsync());
        Assert.Equal(0, await page.Locator("input[name='Email']").CountAsync());
        Assert.True(await page.IsSignedInAsync(), "the page offers to log out");
        Assert.Contains(person.Name, await page.LogoutButton().InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(person.Name, await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }
}
