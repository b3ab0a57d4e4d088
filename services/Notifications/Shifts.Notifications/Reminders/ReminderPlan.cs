using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.Reminders;

/// <summary>One reminder of a claim: its lead time, when it goes out, and whether it is skipped.</summary>
public sealed record PlannedReminder(TimeSpan Lead, DateTimeOffset DueAt, bool Skipped);

/// <summary>
/// When a person is reminded of a shift: at each lead time before the start, moved earlier out
/// of their quiet hours (local time in the organisation's zone), never in the past and never once
/// the shift has started.
/// </summary>
public static class ReminderPlan
{
    public static IReadOnlyList<PlannedReminder> For(DateTimeOffset startsAt, IReadOnlyList<TimeSpan> leads, QuietHours? quiet, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leads);
        return leads.Where(lead => lead > TimeSpan.Zero).Distinct().Order().Select(lead =>
        {
            var due = quiet is null ? startsAt - lead : MoveBefore(startsAt - lead, quiet, zone);
            return new PlannedReminder(lead, due, Skipped: due < now || due >= startsAt);
        }).ToList();
    }

    /// <summary>
    /// An instant inside the quiet hours moves to one minute before they begin (quiet 22:00–08:00:
    /// 23:30 and 03:00 both become 21:59 of the evening the quiet began). Earlier, not later: a
    /// reminder after the quiet hours could come after the shift has begun.
    /// </summary>
    public static DateTimeOffset MoveBefore(DateTimeOffset due, QuietHours quiet, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        ArgumentNullException.ThrowIfNull(zone);
        if (quiet.From == quiet.To)
        {
            return due; // an empty window, not a whole day
        }

        var local = TimeZoneInfo.ConvertTime(due, zone);
        var clock = TimeOnly.FromDateTime(local.DateTime);
        var wraps = quiet.From > quiet.To;
        var inside = wraps ? clock >= quiet.From || clock < quiet.To : clock >= quiet.From && clock < quiet.To;
        if (!inside)
        {
            return due;
        }

        // The quiet hours began today, or (after midnight in a window that wraps) yesterday.
        var began = local.Date + quiet.From.ToTimeSpan();
        if (clock < quiet.From)
        {
            began = began.AddDays(-1);
        }

        return Earliest(began.AddMinutes(-1), zone);
    }

    /// <summary>
    /// A local wall-clock time as an instant. Skipped by a spring-forward change: the last minute
    /// before the gap. Ambiguous in an autumn change: the earlier of the two instants.
    /// </summary>
    private static DateTimeOffset Earliest(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(-1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
