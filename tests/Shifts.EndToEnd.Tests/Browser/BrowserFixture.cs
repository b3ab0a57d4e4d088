using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>The two screens every page is built for.</summary>
public enum Screen
{
    /// <summary>390 × 844, touch, the size most volunteers hold in their hand.</summary>
    Phone,

    /// <summary>1280 × 900, a laptop.</summary>
    Desktop,
}

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>./shifts test</c>), driven by
/// Playwright's own driver, which comes in the Microsoft.Playwright package (its .playwright folder is
/// copied to the test output). Never <c>playwright install</c>: no browser is downloaded.
/// One browser per test process, shared by every collection that holds this fixture; each test makes
/// its own context (cookies, locale, screen), so tests never share a session.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;
    private static int _users;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_users++ == 0)
            {
                Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (./shifts test does it when run as root).");
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args =
                    [
                        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-quic",
                    ],
                });
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A fresh browser context (no cookies) at the system's gateway, as a person on that screen with
    /// that browser language would come. Dispose it at the end of the test (<c>await using</c>).
    /// </summary>
    /// <param name="locale">The browser's language (Accept-Language and navigator.language): "de-DE" or "en-GB".</param>
    /// <param name="javaScript">False: a browser with JavaScript off; every page must work with plain forms.</param>
    public Task<IBrowserContext> NewContextAsync(ShiftsSystem system, Screen screen = Screen.Phone, string locale = "de-DE", bool javaScript = true, string? storageState = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var options = Options(screen, locale, javaScript);
        options.BaseURL = system.Gateway.BaseAddress!.ToString().TrimEnd('/');
        options.StorageState = storageState;
        return NewContextAsync(options);
    }

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        // A page that hangs fails its test quickly; the machine is shared, so not too quickly.
        context.SetDefaultTimeout(20_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public static BrowserNewContextOptions Options(Screen screen, string locale = "de-DE", bool javaScript = true) => screen switch
    {
        Screen.Phone => new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = locale,
            JavaScriptEnabled = javaScript,
        },
        _ => new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            DeviceScaleFactor = 1,
            Locale = locale,
            JavaScriptEnabled = javaScript,
        },
    };

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0)
            {
                if (_browser is not null)
                {
                    await _browser.CloseAsync();
                }

                _playwright?.Dispose();
                _browser = null;
                _playwright = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>
/// The browser tests' collection: one system (services, web app, gateway) and the shared browser.
/// A test class joins with <c>[Collection(nameof(BrowserCollection))]</c> and takes both in its constructor.
/// </summary>
[CollectionDefinition(nameof(BrowserCollection))]
public sealed class BrowserCollection : ICollectionFixture<ShiftsSystem>, ICollectionFixture<BrowserFixture>;
