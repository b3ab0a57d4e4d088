namespace Shifts.Demo.Plan;

/// <summary>Dates and times of day in the organisation's time zone, turned into instants with their offset.</summary>
public sealed class LocalCalendar(TimeZoneInfo zone, DateOnly today)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>The day the demo is loaded, in the organisation's time zone.</summary>
    public DateOnly Today => today;

    public static LocalCalendar ForToday(TimeZoneInfo zone, DateTimeOffset now) =>
        new(zone, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));

    /// <summary>The first <paramref name="day"/> at least <paramref name="daysAhead"/> days after today.</summary>
    public DateOnly Next(DayOfWeek day, int daysAhead = 1)
    {
        var date = today.AddDays(daysAhead);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The first <paramref name="day"/> of the month <paramref name="monthsAhead"/> after this one.</summary>
    public DateOnly FirstOfMonth(DayOfWeek day, int monthsAhead)
    {
        var date = new DateOnly(today.Year, today.Month, 1).AddMonths(monthsAhead);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The instant of a local date and time (a time skipped by a clock change moves on by the gap).</summary>
    public DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
