using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// Full-page PNGs of a page at phone and desktop size: <c>TestResults/screenshots/&lt;name&gt;-phone.png</c>
/// and <c>&lt;name&gt;-desktop.png</c> in the test output folder, and also in the folder named by the
/// environment variable <c>SHIFTS_SCREENSHOTS</c> when it is set (the docs' screenshots are refreshed so).
/// </summary>
public static class Screenshots
{
    public const string Variable = "SHIFTS_SCREENSHOTS";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>
    /// Opens <paramref name="path"/> in a new phone context and a new desktop context, runs
    /// <paramref name="prepare"/> (e.g. a form to send) and saves both pictures; returns their paths.
    /// </summary>
    /// <param name="storageState">A signed-in browser's cookies (<c>await context.StorageStateAsync()</c>), for pages behind the login.</param>
    public static async Task<IReadOnlyList<string>> CaptureAsync(
        BrowserFixture browser, ShiftsSystem system, string name, string path,
        Func<IPage, Task>? prepare = null, string locale = "de-DE", string? storageState = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var saved = new List<string>();
        foreach (var screen in new[] { Screen.Phone, Screen.Desktop })
        {
            await using var context = await browser.NewContextAsync(system, screen, locale, storageState: storageState);
            var page = await context.NewPageAsync();
            await page.GotoAsync(path);
            if (prepare is not null)
            {
                await prepare(page);
            }

            saved.AddRange(await SaveAsync(page, $"{name}-{screen.ToString().ToLowerInvariant()}"));
        }

        return saved;
    }

    /// <summary>Saves the page as it is now as <c>&lt;fileName&gt;.png</c> (full page) in the folders above.</summary>
    public static async Task<IReadOnlyList<string>> SaveAsync(IPage page, string fileName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // The focus ring of an autofocused button would differ from run to run: none in pictures.
        await page.EvaluateAsync("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()").ConfigureAwait(false);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
        var folders = new List<string> { Folder };
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } extra)
        {
            folders.Add(extra);
        }

        var paths = new List<string>();
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, fileName + ".png");
            await File.WriteAllBytesAsync(file, png);
            paths.Add(file);
        }

        return paths;
    }
}
