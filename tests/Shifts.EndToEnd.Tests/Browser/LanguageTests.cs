using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// German and English: the browser's language before the login, the person's own after it, and the
/// footer's switch above both (for a signed-in person it is kept in the profile, so mails follow).
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class LanguageTests(ShiftsSystem system, BrowserFixture browser)
{
    private const string GermanTitle = "Schichten für Ehrenamtliche, ganz einfach";
    private const string EnglishTitle = "Volunteer shifts, simply";

    [Theory]
    [InlineData("en-GB", "en", EnglishTitle)]
    [InlineData("en-US", "en", EnglishTitle)]
    [InlineData("de-DE", "de", GermanTitle)]
    [InlineData("fr-FR", "de", GermanTitle)]
    public async Task Before_login_the_start_page_speaks_the_browsers_language_and_German_otherwise(string locale, string lang, string title)
    {
        await using var context = await browser.NewContextAsync(system, Screen.Phone, locale);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");

        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(title, (await page.Locator("h1").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task The_language_switch_turns_the_page_to_English_and_back_and_stays_on_it()
    {
        await using var context = await browser.NewContextAsync(system, Screen.Phone, "de-DE");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login?returnUrl=%2Fnot-found");
        Assert.Equal("Anmelden", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("true", await Switch(page, "de").GetAttributeAsync("aria-pressed"));

        await SwitchToAsync(page, "en");
        Assert.Equal("/login?returnUrl=%2Fnot-found", new Uri(page.Url).PathAndQuery);
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Log in", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("true", await Switch(page, "en").GetAttributeAsync("aria-pressed"));

        // The choice is remembered on the next page, over the browser's German.
        await page.GotoAsync("/");
        Assert.Equal(EnglishTitle, (await page.Locator("h1").InnerTextAsync()).Trim());

        await SwitchToAsync(page, "de");
        Assert.Equal(GermanTitle, (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task A_signed_in_persons_switch_is_kept_in_their_profile_and_their_own_language_greets_them_after_the_next_login()
    {
        var person = await People.NewAsync(system, "Sofia Rossi", locale: "de");
        await using (var context = await browser.NewContextAsync(system, Screen.Phone, "de-DE"))
        {
            var page = await context.NewPageAsync();
            await page.LogInAsync(system, person);
            Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
            await page.GotoAsync("/not-found");

            await SwitchToAsync(page, "en");

            Assert.Equal("/not-found", page.PathOf());
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            Assert.True(await page.IsSignedInAsync());
            Assert.StartsWith("Log out", (await page.LogoutButton().InnerTextAsync()).Trim(), StringComparison.Ordinal);
        }

        Assert.Equal("en", await ProfileLocaleAsync(person));

        // A new browser that asks for German: the person's own language wins once they are signed in.
        await using var fresh = await browser.NewContextAsync(system, Screen.Phone, "de-DE");
        var again = await fresh.NewPageAsync();
        await again.LogInAsync(system, person);
        Assert.Equal("en", await again.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task The_language_switch_works_with_JavaScript_off()
    {
        await using var context = await browser.NewContextAsync(system, Screen.Phone, "de-DE", javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await SwitchToAsync(page, "en");

        Assert.Equal(EnglishTitle, (await page.Locator("h1").InnerTextAsync()).Trim());
    }

    private static ILocator Switch(IPage page, string lang) => page.Locator($"form[action='/language'] button[value='{lang}']");

    private static async Task SwitchToAsync(IPage page, string lang)
    {
        await Switch(page, lang).ClickAsync();
        await page.Locator($"html[lang='{lang}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private async Task<string?> ProfileLocaleAsync(Person person)
    {
        using var client = await system.LogInAsync(person.Email);
        return (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("locale").GetString();
    }
}
