using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// What a person does in the web app, step by step through the pages (no shortcuts through the API),
/// written without the pages' words so that it works in German and English.
/// </summary>
public static class Ui
{
    /// <summary>The session cookie's name over plain HTTP (tests run on loopback); over HTTPS it is __Host-shifts.</summary>
    public const string SessionCookie = "shifts";

    /// <summary>The form that asks for a login link (start page, login page, a stale link's page).</summary>
    public static ILocator LoginLinkForm(this IPage page) => page.Locator("form:has(input[name='Email'])").First;

    /// <summary>The "log in now" form of an opened login link.</summary>
    public static ILocator LogInNowForm(this IPage page) => page.Locator("form:has(input[name='LinkToken'])");

    /// <summary>The footer's logout button, which names the signed-in person.</summary>
    public static ILocator LogoutButton(this IPage page) => page.Locator("form[action='/logout'] button[type='submit']");

    /// <summary>
    /// Logs in as a person would: opens <paramref name="from"/> (the start page or /login), enters the
    /// address, reads the mailed link in smtp4dev, opens it, taps "log in now". Returns when the page
    /// after the login has loaded (by default /shifts).
    /// </summary>
    public static async Task LogInAsync(this IPage page, ShiftsSystem system, Person person, string from = "/login")
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(person);
        await page.GotoAsync(from);
        var token = await page.AskForLoginLinkAsync(system, person.Email);
        await page.OpenLoginLinkAsync(token);
        await page.LogInNowAsync();
    }

    /// <summary>Fills the address into the page's login-link form, sends it and waits for the mail; returns the link's token.</summary>
    public static async Task<string> AskForLoginLinkAsync(this IPage page, ShiftsSystem system, string email)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(system);
        var before = (await system.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        var form = page.LoginLinkForm();
        await form.Locator("input[name='Email']").FillAsync(email);
        await form.Locator("button[type='submit']").ClickAsync();
        // The answer says "check your inbox" whether or not the address is known.
        var answer = page.Locator("[role='status'], [role='alert']").First;
        await answer.WaitForAsync();
        Assert.True(await answer.GetAttributeAsync("role") == "status", $"asking for a login link failed: {await answer.InnerTextAsync()}");
        return await system.ReadLoginTokenAsync(email, before);
    }

    /// <summary>Opens the link from the mail (its path and query; the mail's host is the public address, the tests' is the gateway).</summary>
    public static async Task OpenLoginLinkAsync(this IPage page, string token)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"/login?token={Uri.EscapeDataString(token)}");
    }

    /// <summary>Taps "log in now" on an opened link and waits for the page that follows to load.</summary>
    public static async Task LogInNowAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var before = page.Url;
        // Under load the tap could land before the page's script had settled, and be lost (seen once
        // in a fresh-clone run): wait for the opened link's page to be quiet first.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.LogInNowForm().Locator("button[type='submit']").ClickAsync();
        await page.WaitForURLAsync(url => url != before, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Load });
    }

    /// <summary>The path of the page the browser shows now, e.g. "/shifts".</summary>
    public static string PathOf(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Uri(page.Url).AbsolutePath;
    }

    /// <summary>The browser's session cookie, if it has one.</summary>
    public static async Task<BrowserContextCookiesResult?> SessionCookieAsync(this IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (await context.CookiesAsync()).FirstOrDefault(c => c.Name == SessionCookie || c.Name == "__Host-" + SessionCookie);
    }

    /// <summary>Fails when the page is wider than the screen (a phone would scroll sideways).</summary>
    public static async Task AssertNoSidewaysScrollAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} is {widths[0]} px wide on a {widths[1]} px screen");
    }

    /// <summary>Whether the page is shown to a signed-in person (the footer offers to log them out).</summary>
    public static async Task<bool> IsSignedInAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return await page.LogoutButton().CountAsync() > 0;
    }
}
