using Shifts.Notifications.Recipients;
using Shifts.Notifications.Reminders;

namespace Shifts.Notifications.Tests.Reminders;

/// <summary>When reminders are due: at each lead time, earlier out of quiet hours, never in the past, never after the start.</summary>
public sealed class ReminderPlanTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(8, 0));

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) =>
        NotificationsFixture.Local(new DateTime(2026, month, day, hour, minute, 0));

    [Fact]
    public void One_reminder_per_lead_time_at_start_minus_lead()
    {
        var start = Local(6, 13, 10);
        var plan = ReminderPlan.For(start, [TimeSpan.FromHours(24), TimeSpan.FromHours(2)], null, Berlin, start.AddDays(-3));

        Assert.Equal([(TimeSpan.FromHours(2), start.AddHours(-2), false), (TimeSpan.FromHours(24), start.AddHours(-24), false)],
            plan.Select(p => (p.Lead, p.DueAt, p.Skipped)));
    }

    [Fact]
    public void A_reminder_whose_time_has_passed_is_skipped()
    {
        var start = Local(6, 13, 10);
        var plan = ReminderPlan.For(start, [TimeSpan.FromHours(24), TimeSpan.FromHours(2)], null, Berlin, start.AddHours(-5));

        Assert.True(plan.Single(p => p.Lead == TimeSpan.FromHours(24)).Skipped);
        Assert.False(plan.Single(p => p.Lead == TimeSpan.FromHours(2)).Skipped);
    }

    [Theory]
    [InlineData(23, 30)] // late evening
    [InlineData(3, 0)]   // after midnight: the quiet began the evening before
    [InlineData(22, 0)]  // the first quiet minute
    public void A_reminder_due_in_quiet_hours_moves_to_the_minute_before_they_begin(int hour, int minute)
    {
        var due = hour < 12 ? Local(6, 13, hour, minute) : Local(6, 12, hour, minute);

        Assert.Equal(Local(6, 12, 21, 59), ReminderPlan.MoveBefore(due, Night, Berlin));
    }

    [Theory]
    [InlineData(21, 59)]
    [InlineData(8, 0)]
    [InlineData(12, 0)]
    public void A_reminder_outside_quiet_hours_stays(int hour, int minute)
    {
        var due = Local(6, 12, hour, minute);

        Assert.Equal(due, ReminderPlan.MoveBefore(due, Night, Berlin));
    }

    [Fact]
    public void Quiet_hours_that_do_not_wrap_midnight_work_too()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0));

        Assert.Equal(Local(6, 12, 11, 59), ReminderPlan.MoveBefore(Local(6, 12, 13, 0), lunch, Berlin));
        Assert.Equal(Local(6, 12, 14, 0), ReminderPlan.MoveBefore(Local(6, 12, 14, 0), lunch, Berlin));
    }

    [Fact]
    public void Quiet_hours_are_local_time_across_the_change_to_summer_time()
    {
        // 29 March 2026: clocks go from 02:00 to 03:00 in Berlin. Due 07:00 local on the 29th (05:00 UTC)
        // moves to 21:59 local on the 28th, which is still winter time (20:59 UTC).
        var due = NotificationsFixture.Local(new DateTime(2026, 3, 29, 7, 0, 0));

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 20, 59, 0, TimeSpan.Zero), ReminderPlan.MoveBefore(due, Night, Berlin));
    }

    [Fact]
    public void A_reminder_moved_into_the_past_by_quiet_hours_is_skipped_not_sent_at_night()
    {
        // Claimed at 23:00 for 09:00 the next morning: the 2 h reminder (07:00) would move to 21:59 — already past.
        var start = Local(6, 13, 9);
        var plan = ReminderPlan.For(start, [TimeSpan.FromHours(2)], Night, Berlin, Local(6, 12, 23));

        Assert.True(Assert.Single(plan).Skipped);
    }

    [Fact]
    public void Equal_quiet_hours_mean_none()
    {
        var due = Local(6, 12, 23);

        Assert.Equal(due, ReminderPlan.MoveBefore(due, new QuietHours(new TimeOnly(22, 0), new TimeOnly(22, 0)), Berlin));
    }
}
