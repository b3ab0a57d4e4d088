using System.Globalization;

namespace Shifts.Web.Components.Editor;

/// <summary>
/// Dates and times as a coordinator types them (the browser's date and time fields, in the
/// organisation's zone) and back. A time the clocks skip in spring counts as the same time after the
/// jump; one that happens twice in autumn as the first, as the events service reads series times.
/// </summary>
public static class LocalClock
{
    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>"HH:mm", also with seconds as some browsers send them.</summary>
    public static TimeOnly? Time(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    public static DateTimeOffset Instant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddDays(-1));
            var after = zone.GetUtcOffset(local.AddDays(1));
            offset = before < after ? before : after;
        }
        else
        {
            offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToOffset(zone.GetUtcOffset(new DateTimeOffset(local, offset)));
    }

    public static string DateText(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TimeText(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time of day on the event's day as an instant: on its date, or the next day where that is
    /// where it belongs (an end at or before its start, a shift after midnight of an evening event).
    /// </summary>
    public static DateTimeOffset After(DateOnly date, TimeOnly time, DateTimeOffset reference, TimeSpan slack, TimeZoneInfo zone)
    {
        var instant = Instant(date, time, zone);
        return instant < reference - slack ? Instant(date.AddDays(1), time, zone) : instant;
    }
}
