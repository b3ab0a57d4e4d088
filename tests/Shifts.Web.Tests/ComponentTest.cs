using System.Globalization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Components.Claiming;

namespace Shifts.Web.Tests;

/// <summary>
/// A bUnit context with the app's real German and English strings (the resource files of
/// Shifts.Web), so the tests read what a person reads.
/// </summary>
public abstract class ComponentTest : BunitContext
{
    public const string Berlin = "Europe/Berlin";

    /// <summary>Thursday 3 December 2026, 12:00 in Berlin: "now" for every test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.FromHours(1));

    protected ComponentTest()
    {
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        // bUnit registers a placeholder localizer; the app's resource files replace it.
        Services.AddSingleton<IStringLocalizerFactory, ResourceManagerStringLocalizerFactory>();
        Services.AddTransient(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        Services.AddSingleton<AntiforgeryStateProvider, TestAntiforgery>();
        Speak("de");
    }

    protected static void Speak(string language)
    {
        CultureInfo.CurrentCulture = new CultureInfo(language);
        CultureInfo.CurrentUICulture = new CultureInfo(language);
    }

    /// <summary>Saturday 5 December 2026, 10:00–12:00: Standbetreuung at the info stand, 4 places.</summary>
    public static ShiftSummary Shift(int capacity = 4, int confirmed = 0, int waitlisted = 0, string status = "open", string eventStatus = "published",
        DateTimeOffset? startsAt = null, string? qualification = null, bool newcomerFriendly = false, string title = "Standbetreuung", Guid? id = null)
    {
        var start = startsAt ?? new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1));
        return new ShiftSummary(id ?? Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), "kv-mitte-ost", "Infostand im Viertel", "info-stand", title,
            start, start.AddHours(2), new ShiftLocation("Sielwall-Kreuzung", "Ostertorsteinweg / Sielwall, 28203 Bremen"),
            capacity, 2, confirmed, waitlisted, qualification, newcomerFriendly, status, eventStatus);
    }

    public static ApiProblem Problem(int status, string code, string? members = null) =>
        new(status, code, null, System.Text.Json.JsonDocument.Parse($$"""{"code":"{{code}}"{{(members is null ? "" : "," + members)}}}""").RootElement.Clone());

    private sealed class TestAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
