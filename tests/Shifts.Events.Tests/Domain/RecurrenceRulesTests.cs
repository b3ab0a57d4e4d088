using System.Globalization;
using Shifts.Events.Events;
using Shifts.ServiceDefaults.Problems;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Tests.Domain;

/// <summary>
/// Weekly series in the organisation's local time (Events/Recurrence.cs), without servers. In
/// Europe/Berlin the clocks go forward on the last Sunday of March and back on the last Sunday of
/// October: a weekly 10:00 shift stays at 10:00 on the wall clock, so its UTC time moves by an hour.
/// </summary>
public sealed class RecurrenceRulesTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById(TimeZones.DefaultId);

    [Theory]
    // The Sundays around the spring change (28 March 2027): 10:00 CET is 09:00Z, 10:00 CEST is 08:00Z.
    [InlineData("2027-03-21T10:00:00+01:00", new[] { "2027-03-21T09:00:00Z", "2027-03-28T08:00:00Z", "2027-04-04T08:00:00Z" })]
    // The Sundays around the autumn change (31 October 2027): back from 08:00Z to 09:00Z.
    [InlineData("2027-10-24T10:00:00+02:00", new[] { "2027-10-24T08:00:00Z", "2027-10-31T09:00:00Z", "2027-11-07T09:00:00Z" })]
    public void A_weekly_10_oclock_shift_stays_at_10_local_across_the_clock_change(string first, string[] expected)
    {
        var start = DateTimeOffset.Parse(first, CultureInfo.InvariantCulture);
        var errors = new ValidationErrors();
        var days = Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Sunday], null, 3), DateOnly.FromDateTime(start.DateTime), errors);

        Assert.False(errors.Any);
        Assert.Equal([0, 7, 14], days);
        var occurrences = days!.Select(day => Recurrence.SameLocalTime(start, day, Berlin)).ToList();
        Assert.Equal(expected.Select(e => DateTimeOffset.Parse(e, CultureInfo.InvariantCulture)), occurrences);
        Assert.All(occurrences, o => Assert.Equal(new TimeOnly(10, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(o, Berlin).DateTime)));
        // Not the same instant a week later: 7 × 24 hours would be 11:00 or 09:00 local.
        Assert.NotEqual(start.AddDays(7).ToUniversalTime(), occurrences[1]);
    }

    [Fact]
    public void The_same_local_time_on_day_zero_is_the_instant_itself_in_UTC()
    {
        var start = DateTimeOffset.Parse("2027-03-28T10:00:00+02:00", CultureInfo.InvariantCulture);

        var same = Recurrence.SameLocalTime(start, 0, Berlin);

        Assert.Equal(start, same);
        Assert.Equal(TimeSpan.Zero, same.Offset);
    }

    [Theory]
    [InlineData(2027, 3, 28, 2, 30, "2027-03-28T01:30:00Z")] // skipped in spring: as long after the jump (03:30 CEST)
    [InlineData(2027, 10, 31, 2, 30, "2027-10-31T00:30:00Z")] // twice in autumn: the first (02:30 CEST)
    [InlineData(2027, 10, 31, 10, 0, "2027-10-31T09:00:00Z")]
    [InlineData(2027, 7, 3, 10, 0, "2027-07-03T08:00:00Z")]
    public void A_local_time_becomes_the_instant_a_calendar_would_choose(int year, int month, int day, int hour, int minute, string expected)
    {
        var instant = Recurrence.FromLocal(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified), Berlin);
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Fact]
    public void Occurrences_stop_at_the_count_or_after_the_until_date_and_never_exceed_104()
    {
        var saturday = new DateOnly(2027, 1, 2);
        var errors = new ValidationErrors();
        Assert.Equal([0, 7, 14], Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Saturday], null, 3), saturday, errors));
        Assert.Equal([0, 1, 7, 8], Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Saturday, DayOfWeek.Sunday], new DateOnly(2027, 1, 10), null), saturday, errors));
        Assert.Equal(104, Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Saturday], null, 104), saturday, errors)!.Count);
        Assert.False(errors.Any);

        Assert.Null(Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Saturday], saturday.AddDays(7 * 104), null), saturday, errors));
        Assert.True(errors.Any);
    }

    [Fact]
    public void The_first_occurrence_is_always_there_even_on_a_day_the_rule_does_not_name()
    {
        var saturday = new DateOnly(2027, 1, 2);

        var days = Recurrence.OccurrenceDays(new RecurrenceRule([DayOfWeek.Wednesday], null, 2), saturday, new ValidationErrors());

        Assert.Equal([0, 4], days);
    }

    public static TheoryData<RecurrenceRule, string> InvalidRules() => new()
    {
        { new RecurrenceRule([], null, 3), "recurrence.weekdays" },
        { new RecurrenceRule(null, null, 3), "recurrence.weekdays" },
        { new RecurrenceRule([(DayOfWeek)9], null, 3), "recurrence.weekdays" },
        { new RecurrenceRule([DayOfWeek.Saturday], null, null), "recurrence" },
        { new RecurrenceRule([DayOfWeek.Saturday], new DateOnly(2027, 2, 1), 3), "recurrence" },
        { new RecurrenceRule([DayOfWeek.Saturday], null, 0), "recurrence.count" },
        { new RecurrenceRule([DayOfWeek.Saturday], null, Recurrence.MaxOccurrences + 1), "recurrence.count" },
        { new RecurrenceRule([DayOfWeek.Saturday], new DateOnly(2027, 1, 1), null), "recurrence.until" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void An_invalid_rule_yields_no_occurrences_and_names_its_field(RecurrenceRule rule, string field)
    {
        var errors = new ValidationErrors();

        Assert.Null(Recurrence.OccurrenceDays(rule, new DateOnly(2027, 1, 2), errors));

        Assert.Contains(field, Fields.Of(errors));
    }
}
