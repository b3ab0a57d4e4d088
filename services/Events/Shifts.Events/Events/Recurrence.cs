using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>
/// Weekly series (the Saturday info stand). Occurrences are computed in the organisation's local
/// time and only then converted to instants: "every Saturday at 10:00" stays at 10:00 on the wall
/// clock when daylight saving time begins or ends, so its UTC time moves by an hour.
/// </summary>
public static class Recurrence
{
    public const int MaxOccurrences = 104;

    /// <summary>
    /// The occurrences as days after the first one (which is 0 and always included), or null with
    /// the reason in <paramref name="errors"/> when the rule is invalid or yields too many.
    /// </summary>
    public static IReadOnlyList<int>? OccurrenceDays(RecurrenceRule rule, DateOnly firstDate, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(errors);
        var valid = true;
        if (rule.Weekdays is not { Count: > 0 })
        {
            errors.Add("recurrence.weekdays", "'recurrence.weekdays' needs at least one weekday, e.g. [\"saturday\"].");
            valid = false;
        }
        else if (!rule.Weekdays.All(Enum.IsDefined))
        {
            errors.Add("recurrence.weekdays", "'recurrence.weekdays' holds a value that is not a weekday.");
            valid = false;
        }

        if (rule.Until is null == rule.Count is null)
        {
            errors.Add("recurrence", "Give exactly one of 'recurrence.until' (a local date) and 'recurrence.count'.");
            valid = false;
        }

        if (rule.Count is < 1 or > MaxOccurrences)
        {
            errors.Add("recurrence.count", $"'recurrence.count' must be between 1 and {MaxOccurrences}.");
            valid = false;
        }

        if (rule.Until is { } until && until < firstDate)
        {
            errors.Add("recurrence.until", "'recurrence.until' is before the first occurrence.");
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        var weekdays = rule.Weekdays!.ToHashSet();
        var days = new List<int> { 0 };
        for (var date = firstDate.AddDays(1); ; date = date.AddDays(1))
        {
            if (rule.Count is { } count ? days.Count >= count : date > rule.Until!.Value)
            {
                return days;
            }

            if (!weekdays.Contains(date.DayOfWeek))
            {
                continue;
            }

            if (days.Count == MaxOccurrences)
            {
                errors.Add("recurrence.until", $"A series has at most {MaxOccurrences} occurrences; choose an earlier 'recurrence.until'.");
                return null;
            }

            days.Add(date.DayNumber - firstDate.DayNumber);
        }
    }

    /// <summary>The instant showing the same local wall-clock time as <paramref name="instant"/>, <paramref name="days"/> local days later.</summary>
    public static DateTimeOffset SameLocalTime(DateTimeOffset instant, int days, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (days == 0)
        {
            return instant.ToUniversalTime();
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.AddDays(days);
        return FromLocal(local, zone);
    }

    /// <summary>
    /// A local wall-clock time as an instant, the way calendars (RFC 5545) resolve the two odd
    /// cases: a time the clocks skip in spring (02:30) means as long after the jump as it was
    /// meant after 02:00 (so 03:30); a time that happens twice in autumn means the first one.
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // The offset in force before the clocks jumped forward: the smaller of the two around it.
            var before = zone.GetUtcOffset(local.AddDays(-1));
            var after = zone.GetUtcOffset(local.AddDays(1));
            offset = before < after ? before : after;
        }
        else if (zone.IsAmbiguousTime(local))
        {
            // The first of the two is the one with the larger offset (summer time, before the clocks go back).
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
