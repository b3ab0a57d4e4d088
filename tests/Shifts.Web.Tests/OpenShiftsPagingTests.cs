using Shifts.Web.Components.Claiming;

namespace Shifts.Web.Tests;

/// <summary>The open-shift list of a person in several organisations stays in time order across "more shifts".</summary>
public sealed class OpenShiftsPagingTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 5, 0, 0, 0, TimeSpan.FromHours(1));

    private static ShiftSummary At(string org, int hour) =>
        ComponentTest.Shift(startsAt: Day.AddHours(hour), id: Guid.NewGuid()) with { Org = org };

    [Fact]
    public void Without_more_pages_everything_is_shown_in_time_order()
    {
        var (shown, next) = OpenShiftsPaging.Merge([
            new("a", [At("a", 9), At("a", 14)], null),
            new("b", [At("b", 10)], null),
        ]);

        Assert.Equal([9, 10, 14], shown.Select(s => (s.StartsAt - Day).Hours));
        Assert.Empty(next);
    }

    [Fact]
    public void The_list_ends_where_the_first_organisation_with_more_ends_and_the_others_continue_from_there()
    {
        var (shown, next) = OpenShiftsPaging.Merge([
            new("a", [At("a", 9), At("a", 11)], "cursor-a"),
            new("b", [At("b", 10), At("b", 11), At("b", 15)], "cursor-b"),
            new("c", [At("c", 8), At("c", 20)], null),
        ]);

        // a's page ends at 11: b's 11:00 and 15:00 and c's 20:00 wait for the next page.
        Assert.Equal([(8, "c"), (9, "a"), (10, "b"), (11, "a")], shown.Select(s => ((s.StartsAt - Day).Hours, s.Org)));
        Assert.Equal(new OpenShiftsContinuation("a", "cursor-a", null), next.Single(n => n.Org == "a"));
        Assert.Equal(new OpenShiftsContinuation("b", null, Day.AddHours(11)), next.Single(n => n.Org == "b"));
        Assert.Equal(new OpenShiftsContinuation("c", null, Day.AddHours(11)), next.Single(n => n.Org == "c"));
    }

    [Fact]
    public void An_organisation_with_nothing_after_the_horizon_does_not_continue()
    {
        var (_, next) = OpenShiftsPaging.Merge([
            new("a", [At("a", 9), At("a", 12)], "cursor-a"),
            new("b", [At("b", 10)], null),
        ]);

        Assert.Equal(["a"], next.Select(n => n.Org));
    }

    [Fact]
    public void Continuations_survive_the_address()
    {
        var cursor = new OpenShiftsContinuation("kv-mitte-ost", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null);
        var instant = new OpenShiftsContinuation("kv-nord", null, Day.AddHours(11));

        Assert.Equal(cursor, OpenShiftsContinuation.Decode(cursor.Encode()));
        Assert.Equal(instant.After, OpenShiftsContinuation.Decode(instant.Encode())!.After);
        Assert.Null(OpenShiftsContinuation.Decode("kv-nord:x:1"));
        Assert.Null(OpenShiftsContinuation.Decode("nonsense"));
    }
}

public sealed class OpenShiftsFilterTests
{
    private static readonly DateTimeOffset Now = ComponentTest.Now;

    [Fact]
    public void Dates_are_the_organisations_midnights_and_the_end_date_is_included()
    {
        var filter = OpenShiftsFilter.Parse("2026-12-05", "2026-12-06", "info-stand", "first-aid", "true", null);

        var query = filter.QueryFor("Europe/Berlin", Now, null, 30);

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.FromHours(1)), query.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), query.To);
        Assert.Equal("info-stand", query.Kind);
        Assert.Equal("first-aid", query.Qualification);
        Assert.True(query.NewcomerFriendlyOnly);
        Assert.False(query.IncludeFull);
    }

    [Fact]
    public void A_start_in_the_past_is_now_and_a_continuation_moves_it_on()
    {
        var filter = OpenShiftsFilter.Parse("2026-01-01", null, null, null, null, "true");

        Assert.Null(filter.QueryFor("Europe/Berlin", Now, null, 30).From);
        var later = Now.AddDays(3);
        Assert.Equal(later, filter.QueryFor("Europe/Berlin", Now, new OpenShiftsContinuation("kv-nord", null, later), 30).From);
        Assert.Equal("c1", filter.QueryFor("Europe/Berlin", Now, new OpenShiftsContinuation("kv-nord", "c1", null), 30).Cursor);
        Assert.True(filter.IncludeFull);
    }

    [Fact]
    public void Values_that_make_no_sense_are_dropped_not_errors()
    {
        var filter = OpenShiftsFilter.Parse("5.12.2026", "2026-13-01", "party", "First Aid", "yes please", "");

        Assert.Equal(new OpenShiftsFilter(null, null, null, null, false, false), filter);
        Assert.False(filter.IsActive);
        Assert.Equal("/shifts", filter.Url());
    }

    [Fact]
    public void The_address_keeps_the_filters_and_the_continuations()
    {
        var filter = OpenShiftsFilter.Parse("2026-12-05", null, "festival", null, "true", null);

        Assert.Equal("/shifts?from=2026-12-05&kind=festival&newcomer=true&more=kv-nord%3Ac%3Aabc", filter.Url([new OpenShiftsContinuation("kv-nord", "abc", null)]));
    }

    [Fact]
    public void An_end_before_the_start_becomes_the_start()
    {
        Assert.Equal(new DateOnly(2026, 12, 10), OpenShiftsFilter.Parse("2026-12-10", "2026-12-01", null, null, null, null).To);
    }
}
