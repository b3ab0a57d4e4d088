using System.Globalization;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Web.Localization;

/// <summary>
/// Dates and times as people read them: in the organisation's time zone, in German or English
/// (24-hour clock in both: the organisations are in Europe). One place, so every page agrees.
/// </summary>
public static class When
{
    /// <summary>The organisation's zone; where it is not known (yet), the default zone every service falls back to.</summary>
    public static TimeZoneInfo Zone(string? timeZone) => TimeZones.Find(timeZone);

    public static DateTimeOffset Local(DateTimeOffset instant, string? timeZone) => TimeZoneInfo.ConvertTime(instant, Zone(timeZone));

    private static bool German => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de";

    /// <summary>"Samstag, 6. Dezember" / "Saturday 6 December".</summary>
    public static string Day(DateTimeOffset instant, string? timeZone) =>
        Local(instant, timeZone).ToString(German ? "dddd, d. MMMM" : "dddd d MMMM", CultureInfo.CurrentCulture);

    /// <summary>"Sa., 6. Dez. 2026" / "Sat 6 Dec 2026".</summary>
    public static string ShortDate(DateTimeOffset instant, string? timeZone) =>
        Local(instant, timeZone).ToString(German ? "ddd, d. MMM yyyy" : "ddd d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Time(DateTimeOffset instant, string? timeZone) =>
        Local(instant, timeZone).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"10:00–12:00", with the end's day when the shift crosses midnight ("22:00–03:00 (+1)").</summary>
    public static string Span(DateTimeOffset start, DateTimeOffset end, string? timeZone)
    {
        var days = (Local(end, timeZone).Date - Local(start, timeZone).Date).Days;
        return $"{Time(start, timeZone)}–{Time(end, timeZone)}{(days > 0 ? $" (+{days})" : "")}";
    }

    /// <summary>"Sa., 6. Dez. 2026, 10:00–12:00".</summary>
    public static string Full(DateTimeOffset start, DateTimeOffset end, string? timeZone) =>
        $"{ShortDate(start, timeZone)}, {Span(start, end, timeZone)}";

    /// <summary>A date and time on its own ("Fr., 5. Dez. 2026, 10:00").</summary>
    public static string Moment(DateTimeOffset instant, string? timeZone) =>
        $"{ShortDate(instant, timeZone)}, {Time(instant, timeZone)}";
}
