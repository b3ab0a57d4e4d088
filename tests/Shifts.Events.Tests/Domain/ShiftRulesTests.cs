using System.Globalization;
using Shifts.Events.Events;
using Shifts.Events.Shifts;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Tests.Domain;

/// <summary>What a shift and an event may be (Shifts/ShiftSpec.cs, Events/EventRules.cs), without servers.</summary>
public sealed class ShiftRulesTests
{
    private static readonly DateTimeOffset Ten = DateTimeOffset.Parse("2030-06-13T10:00:00+02:00", CultureInfo.InvariantCulture);

    private static ShiftSpec Valid() => new("Aufbau", Ten, Ten.AddHours(2), 4, 2, null, true);

    private static string[] FieldsOf(ShiftSpec spec, string prefix = "")
    {
        var errors = new ValidationErrors();
        spec.Validate(errors, prefix);
        return Fields.Of(errors);
    }

    [Fact]
    public void A_complete_shift_is_valid() => Assert.Empty(FieldsOf(Valid()));

    public static TheoryData<string, string> Invalid() => new()
    {
        { "no title", "title" },
        { "blank title", "title" },
        { "title of 201 characters", "title" },
        { "no start", "startsAt" },
        { "no end", "endsAt" },
        { "ends when it starts", "endsAt" },
        { "ends before it starts", "endsAt" },
        { "lasts 48 hours and a minute", "endsAt" },
        { "no capacity", "capacity" },
        { "capacity 0", "capacity" },
        { "capacity above the maximum", "capacity" },
        { "negative minimum", "minimum" },
        { "minimum above capacity", "minimum" },
        { "qualification of 51 characters", "requiredQualification" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_shift_names_exactly_the_field_at_fault(string what, string field)
    {
        var spec = what switch
        {
            "no title" => Valid() with { Title = null },
            "blank title" => Valid() with { Title = "   " },
            "title of 201 characters" => Valid() with { Title = new string('x', 201) },
            "no start" => Valid() with { StartsAt = null },
            "no end" => Valid() with { EndsAt = null },
            "ends when it starts" => Valid() with { EndsAt = Ten },
            "ends before it starts" => Valid() with { EndsAt = Ten.AddMinutes(-1) },
            "lasts 48 hours and a minute" => Valid() with { EndsAt = Ten.AddHours(48).AddMinutes(1) },
            "no capacity" => Valid() with { Capacity = null, Minimum = null },
            "capacity 0" => Valid() with { Capacity = 0, Minimum = 0 },
            "capacity above the maximum" => Valid() with { Capacity = ShiftSpec.MaxCapacity + 1, Minimum = 0 },
            "negative minimum" => Valid() with { Minimum = -1 },
            "minimum above capacity" => Valid() with { Minimum = 5 },
            "qualification of 51 characters" => Valid() with { RequiredQualification = new string('q', 51) },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.Equal([field], FieldsOf(spec));
    }

    [Fact]
    public void The_limits_themselves_are_allowed()
    {
        var longest = Valid() with
        {
            Title = new string('x', 200),
            EndsAt = Ten.AddHours(48),
            Capacity = ShiftSpec.MaxCapacity,
            Minimum = ShiftSpec.MaxCapacity,
            RequiredQualification = new string('q', 50),
        };

        Assert.Empty(FieldsOf(longest));
        Assert.Empty(FieldsOf(Valid() with { Capacity = 1, Minimum = null, NewcomerFriendly = null }));
    }

    [Fact]
    public void A_shift_in_a_list_is_named_with_its_prefix()
    {
        Assert.Equal(["shifts[2].title", "shifts[2].capacity"], FieldsOf(Valid() with { Title = null, Capacity = 0, Minimum = 0 }, "shifts[2]."));
    }

    [Fact]
    public void Moving_a_shift_moves_both_ends_and_keeps_the_rest()
    {
        var moved = Valid().MovedBy(TimeSpan.FromDays(7));

        Assert.Equal(Ten.AddDays(7), moved.StartsAt);
        Assert.Equal(Ten.AddDays(7).AddHours(2), moved.EndsAt);
        Assert.Equal(Valid() with { StartsAt = moved.StartsAt, EndsAt = moved.EndsAt }, moved);
    }

    [Fact]
    public void An_event_has_both_times_in_order_at_most_14_days_apart()
    {
        var errors = new ValidationErrors();
        Assert.Equal((Ten, Ten.AddDays(14)), EventRules.ValidateTimes(Ten, Ten.AddDays(14), errors));
        Assert.False(errors.Any);

        Assert.Null(EventRules.ValidateTimes(Ten, Ten.AddDays(14).AddSeconds(1), errors));
        Assert.Equal(["endsAt"], Fields.Of(errors));
        Assert.Contains("at most 14 days", Fields.Messages(errors, "endsAt")[0], StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string[]> InvalidTimes() => new()
    {
        { null, null, ["startsAt", "endsAt"] },
        { "2030-06-13T10:00:00+02:00", null, ["endsAt"] },
        { "2030-06-13T10:00:00+02:00", "2030-06-13T10:00:00+02:00", ["endsAt"] },
        { "2030-06-13T10:00:00+02:00", "2030-06-13T09:00:00+02:00", ["endsAt"] },
        { "1999-12-31T23:00:00Z", "2000-01-01T01:00:00Z", ["startsAt"] },
        { "2199-12-31T23:00:00Z", "2200-01-01T00:00:00Z", ["endsAt"] },
    };

    [Theory]
    [MemberData(nameof(InvalidTimes))]
    public void Event_times_out_of_order_or_out_of_range_are_refused_by_field(string? startsAt, string? endsAt, string[] fields)
    {
        var errors = new ValidationErrors();

        var times = EventRules.ValidateTimes(Parse(startsAt), Parse(endsAt), errors);

        Assert.Null(times);
        Assert.Equal(fields, Fields.Of(errors));
    }

    [Fact]
    public void A_new_event_needs_a_location_with_a_name_and_an_edit_may_leave_it_out()
    {
        var errors = new ValidationErrors();
        EventRules.ValidateLocation(null, errors, required: false);
        EventRules.ValidateLocation(new EventLocation(null, "Markt 1"), errors, required: false);
        Assert.False(errors.Any);

        EventRules.ValidateLocation(null, errors, required: true);
        Assert.Equal(["location"], Fields.Of(errors));

        var unnamed = new ValidationErrors();
        EventRules.ValidateLocation(new EventLocation(null, null), unnamed, required: true);
        Assert.Equal(["location.name"], Fields.Of(unnamed));

        var tooLong = new ValidationErrors();
        EventRules.ValidateLocation(new EventLocation(new string('n', 201), new string('a', 301)), tooLong, required: false);
        Assert.Equal(["location.name", "location.address"], Fields.Of(tooLong));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("  Markt 1 ", "Markt 1")]
    public void Blank_text_is_stored_as_none_and_the_rest_trimmed(string? value, string? stored) => Assert.Equal(stored, EventRules.Blank(value));

    private static DateTimeOffset? Parse(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
