using System.Globalization;

namespace Shifts.EndToEnd.Tests;

/// <summary>Wall-clock times in the test organisations' zone, written as the API reads them (with their offset that day).</summary>
public static class BerlinTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Today's local date in Berlin, at midnight.</summary>
    public static DateTime Today => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).Date;

    /// <summary>A local Berlin time as ISO 8601 with the offset it has on that day.</summary>
    public static string Iso(DateTime local) =>
        new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
