using Shifts.Contracts;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.Reminders;
using static Shifts.Notifications.Tests.Domain.DomainValues;

namespace Shifts.Notifications.Tests.Domain;

/// <summary>
/// When a reminder goes out, across daylight-saving changes, and what becomes of one that is due
/// (ReminderPlan, DueReminder): rules without a database.
/// </summary>
public sealed class ReminderTimingTests
{
    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(8, 0));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_lead_time_is_a_duration_so_across_the_spring_change_the_local_hour_differs()
    {
        // Sunday 29 March 2026, 10:00 summer time; the clocks went forward at 02:00 that night.
        var start = Utc(3, 29, 8);
        var reminder = Assert.Single(ReminderPlan.For(start, [TimeSpan.FromHours(24)], null, Berlin, Utc(3, 20, 0)));

        Assert.Equal(Utc(3, 28, 8), reminder.DueAt);
        Assert.Equal(9, TimeZoneInfo.ConvertTime(reminder.DueAt, Berlin).Hour); // 09:00 winter time, not 10:00
        Assert.False(reminder.Skipped);
    }

    [Fact]
    public void Quiet_hours_are_local_and_move_a_reminder_to_the_evening_before_across_the_spring_change()
    {
        // 09:00 summer time; two hours before is 07:00, inside 22:00–08:00: the reminder goes at 21:59 winter time the evening before.
        var start = Utc(3, 29, 7);
        var reminder = Assert.Single(ReminderPlan.For(start, [TimeSpan.FromHours(2)], Night, Berlin, Utc(3, 20, 0)));

        Assert.Equal(Utc(3, 28, 20, 59), reminder.DueAt);
    }

    [Fact]
    public void Quiet_hours_that_begin_in_the_skipped_hour_move_to_the_last_minute_before_the_gap()
    {
        // Quiet from 02:30, a time that does not exist on 29 March; the last minute before the gap is 01:59 winter time.
        var quiet = new QuietHours(new TimeOnly(2, 30), new TimeOnly(6, 0));
        var moved = ReminderPlan.MoveBefore(Utc(3, 29, 2), quiet, Berlin); // 04:00 summer time

        Assert.Equal(Utc(3, 29, 0, 59), moved);
    }

    [Fact]
    public void Quiet_hours_that_begin_in_the_repeated_hour_of_the_autumn_change_take_the_earlier_instant()
    {
        // 25 October 2026: 03:00 summer time became 02:00 winter time, so 02:59 happened twice; the first was 00:59 UTC.
        var quiet = new QuietHours(new TimeOnly(3, 0), new TimeOnly(6, 0));
        var moved = ReminderPlan.MoveBefore(Utc(10, 25, 3), quiet, Berlin); // 04:00 winter time

        Assert.Equal(Utc(10, 25, 0, 59), moved);
    }

    [Fact]
    public void Quiet_hours_from_and_to_the_same_minute_are_no_quiet_hours()
    {
        var due = Utc(6, 13, 1); // 03:00 in Berlin
        Assert.Equal(due, ReminderPlan.MoveBefore(due, new QuietHours(new TimeOnly(3, 0), new TimeOnly(3, 0)), Berlin));
    }

    [Fact]
    public void A_reminder_outside_quiet_hours_stays_and_a_zero_or_repeated_lead_time_is_dropped()
    {
        var start = Utc(6, 13, 12); // 14:00 in Berlin
        var plan = ReminderPlan.For(start, [TimeSpan.FromHours(2), TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(-1)], Night, Berlin, Utc(6, 1, 0));

        var reminder = Assert.Single(plan);
        Assert.Equal(Utc(6, 13, 10), reminder.DueAt);
    }

    [Fact]
    public void Of_two_reminders_of_one_claim_due_at_once_only_the_one_closest_to_the_start_is_written()
    {
        var claim = Claim(ClaimStatus.Active, Utc(6, 13, 8));
        var dayBefore = new DueReminder(claim.ClaimId, TimeSpan.FromHours(24));
        var twoHours = new DueReminder(claim.ClaimId, TimeSpan.FromHours(2));
        var batch = new[] { dayBefore, twoHours };
        var now = Utc(6, 13, 6);

        Assert.Equal(ReminderStatus.Skipped, dayBefore.OutcomeWithoutMail(batch, claim, recipientKnown: true, now));
        Assert.Null(twoHours.OutcomeWithoutMail(batch, claim, recipientKnown: true, now));
    }

    [Theory]
    [InlineData(ClaimStatus.Cancelled, ReminderStatus.Cancelled)]
    [InlineData(ClaimStatus.Postponed, ReminderStatus.Cancelled)]
    public void A_claim_that_no_longer_stands_cancels_its_reminder(string claimStatus, string outcome)
    {
        var claim = Claim(claimStatus, Utc(6, 13, 8));
        var due = new DueReminder(claim.ClaimId, TimeSpan.FromHours(2));

        Assert.Equal(outcome, due.OutcomeWithoutMail([due], claim, recipientKnown: true, Utc(6, 13, 6)));
        Assert.Equal(ReminderStatus.Cancelled, due.OutcomeWithoutMail([due], null, recipientKnown: true, Utc(6, 13, 6)));
    }

    [Fact]
    public void A_shift_that_has_begun_skips_its_reminder_and_an_unknown_person_cancels_it()
    {
        var claim = Claim(ClaimStatus.Active, Utc(6, 13, 8));
        var due = new DueReminder(claim.ClaimId, TimeSpan.FromHours(2));

        Assert.Equal(ReminderStatus.Skipped, due.OutcomeWithoutMail([due], claim, recipientKnown: true, Utc(6, 13, 8)));
        Assert.Equal(ReminderStatus.Cancelled, due.OutcomeWithoutMail([due], claim, recipientKnown: false, Utc(6, 13, 7)));
        Assert.Null(due.OutcomeWithoutMail([due], claim, recipientKnown: true, Utc(6, 13, 7, 59)));
    }

    [Fact]
    public void Nobody_who_chose_no_lead_times_is_reminded_a_day_and_two_hours_before()
    {
        var person = Person("de");

        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromHours(2)], person.LeadTimes);
        Assert.Equal([TimeSpan.FromHours(1)], (person with { ReminderLeadTimes = [TimeSpan.FromHours(1)] }).LeadTimes);
    }

    private static ClaimRecord Claim(string status, DateTimeOffset startsAt) => new(Guid.NewGuid(), Guid.NewGuid(), status, Shift(startsAt));
}
