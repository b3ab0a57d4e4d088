using System.Globalization;

namespace Shifts.Notifications.Mail;

/// <summary>
/// Times as people read them in a mail: in the organisation's time zone and the recipient's
/// language. German "Samstag, 13. Juni 2026, 10:00 Uhr", English "Saturday, 13 June 2026, 10:00".
/// </summary>
public static class LocalTimes
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>One instant: "Samstag, 13. Juni 2026, 10:00 Uhr".</summary>
    public static string Instant(DateTimeOffset instant, TimeZoneInfo zone, string language)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return language == "de"
            ? local.ToString("dddd, d. MMMM yyyy, HH:mm 'Uhr'", German)
            : local.ToString("dddd, d MMMM yyyy, HH:mm", English);
    }

    /// <summary>
    /// A span: "Samstag, 13. Juni 2026, 10:00–14:00 Uhr" on one day; across midnight both ends in
    /// full ("Samstag, 13. Juni 2026, 22:00 Uhr bis Sonntag, 14. Juni 2026, 02:00 Uhr").
    /// </summary>
    public static string Span(DateTimeOffset startsAt, DateTimeOffset endsAt, TimeZoneInfo zone, string language)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var start = TimeZoneInfo.ConvertTime(startsAt, zone);
        var end = TimeZoneInfo.ConvertTime(endsAt, zone);
        if (start.Date != end.Date)
        {
            return language == "de"
                ? $"{Instant(startsAt, zone, language)} bis {Instant(endsAt, zone, language)}"
                : $"{Instant(startsAt, zone, language)} to {Instant(endsAt, zone, language)}";
        }

        return language == "de"
            ? $"{start.ToString("dddd, d. MMMM yyyy, HH:mm", German)}–{end.ToString("HH:mm", German)} Uhr"
            : $"{start.ToString("dddd, d MMMM yyyy, HH:mm", English)}–{end.ToString("HH:mm", English)}";
    }
}
