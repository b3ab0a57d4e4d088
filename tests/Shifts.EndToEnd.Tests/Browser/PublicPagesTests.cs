using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// The pages anyone reaches before logging in, at phone size: no serious or critical accessibility
/// violation (axe), and pictures at phone and desktop size for a person to judge.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class PublicPagesTests(ShiftsSystem system, BrowserFixture browser, Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "start", "/" },
        { "login", "/login" },
        { "login-link", "/login?token=stale" },
        { "login-stale", "/login?token=stale#press" },
        { "login-sent", "/login#send" },
        { "not-found", "/not-found" },
        { "unknown-path", "/no/such/page" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_has_no_serious_accessibility_violation_on_a_phone(string name, string path)
    {
        foreach (var locale in new[] { "de-DE", "en-GB" })
        {
            await using var context = await browser.NewContextAsync(system, Screen.Phone, locale);
            var page = await context.NewPageAsync();
            await page.GotoAsync(path);
            // The longest address a form takes in one piece (a GUID in it): it must wrap, not widen the page.
            await PrepareAsync(page, path, $"maximilian.mustermann-{Guid.NewGuid():N}@example.org");

            var lesser = await page.AssertNoSeriousViolationsAsync($"{name} ({path}, {locale})");
            if (lesser.Count > 0)
            {
                output.WriteLine($"{name} ({locale}), minor or moderate:\n{Accessibility.Describe(lesser)}");
            }

            await page.AssertNoSidewaysScrollAsync();
            Assert.Equal(1, await page.Locator("h1").CountAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_is_pictured_at_phone_and_desktop_size(string name, string path)
    {
        var files = await Screenshots.CaptureAsync(browser, system, name, path, page => PrepareAsync(page, path, "lena.berger@example.org"));

        Assert.Contains(files, f => f.EndsWith($"{name}-phone.png", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith($"{name}-desktop.png", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 5_000, $"{f} is (nearly) empty"));
    }

    /// <summary>A page's state after a step: "#press" taps "log in now", "#send" sends the login-link form.</summary>
    private static async Task PrepareAsync(IPage page, string path, string email)
    {
        if (path.EndsWith("#press", StringComparison.Ordinal))
        {
            await page.LogInNowAsync();
        }
        else if (path.EndsWith("#send", StringComparison.Ordinal))
        {
            var form = page.LoginLinkForm();
            await form.Locator("input[name='Email']").FillAsync(email);
            await form.Locator("button[type='submit']").ClickAsync();
            await page.Locator("[role='status']").WaitForAsync();
        }
    }
}
