using System.Net;
using System.Text.Json;
using Shifts.Contracts;
using Shifts.Events.Events;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>Weekly series: the Saturday info stand, at the same local time all year, each occurrence its own event.</summary>
[Collection(nameof(EventsCollection))]
public sealed class RecurrenceTests(EventsFixture fixture)
{
    private static readonly TimeSpan Summer = TimeSpan.FromHours(2);
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_weekly_Saturday_series_across_the_October_clock_change_stays_at_10_local_with_its_shift_pattern()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = new DateTimeOffset(2026, 10, 17, 10, 0, 0, Summer);

        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(6),
            shifts: [Shift(start.AddMinutes(-30), start.AddHours(3), "Aufbau und Vormittag"), Shift(start.AddHours(3), start.AddHours(6), "Nachmittag")],
            recurrence: new { weekdays = new[] { "saturday" }, count = 4 }));

        var seriesId = created.GetProperty("seriesId").GetGuid();
        var occurrences = created.GetProperty("occurrences").EnumerateArray().ToList();
        Assert.Equal(
            ["2026-10-17T10:00:00+02:00", "2026-10-24T10:00:00+02:00", "2026-10-31T10:00:00+01:00", "2026-11-07T10:00:00+01:00"],
            occurrences.Select(o => o.Text("startsAt")));
        Assert.Equal(created.Id(), occurrences[0].Id());

        (int Day, int Hour)[] utc = [(17, 8), (24, 8), (31, 9), (7, 9)];
        for (var i = 0; i < occurrences.Count; i++)
        {
            var occurrence = await GetAsync(coordinator, $"/api/events/{occurrences[i].Id()}");
            Assert.Equal(seriesId, occurrence.GetProperty("seriesId").GetGuid());
            Assert.Equal("draft", occurrence.Text("status"));
            var startsAt = occurrence.GetProperty("startsAt").GetDateTimeOffset();
            Assert.Equal((utc[i].Day, utc[i].Hour), (startsAt.UtcDateTime.Day, startsAt.UtcDateTime.Hour));
            Assert.Equal(new TimeSpan(10, 0, 0), startsAt.TimeOfDay);
            Assert.Equal(new TimeSpan(16, 0, 0), occurrence.GetProperty("endsAt").GetDateTimeOffset().TimeOfDay);

            // The pattern is copied to the local wall clock of every occurrence.
            var shifts = occurrence.GetProperty("shifts").EnumerateArray().ToList();
            Assert.Equal(["Aufbau und Vormittag", "Nachmittag"], shifts.Select(s => s.Text("title")));
            Assert.Equal(
                [new TimeSpan(9, 30, 0), new TimeSpan(13, 0, 0)],
                shifts.Select(s => s.GetProperty("startsAt").GetDateTimeOffset().TimeOfDay));
            Assert.Equal(
                [new TimeSpan(13, 0, 0), new TimeSpan(16, 0, 0)],
                shifts.Select(s => s.GetProperty("endsAt").GetDateTimeOffset().TimeOfDay));
            Assert.All(shifts, s => Assert.Equal(startsAt.Date, s.GetProperty("startsAt").GetDateTimeOffset().Date));
        }

        Assert.Equal(4L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM events WHERE series_id = @id", seriesId));
        Assert.Equal(8L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM shifts s JOIN events e ON e.id = s.event_id WHERE e.series_id = @id", seriesId));
        Assert.Equal(new TimeSpan(8, 0, 0), (await ScalarAsync<DateTime>(fixture, "SELECT starts_at FROM events WHERE id = @id", occurrences[1].Id())).TimeOfDay);
        Assert.Equal(new TimeSpan(9, 0, 0), (await ScalarAsync<DateTime>(fixture, "SELECT starts_at FROM events WHERE id = @id", occurrences[2].Id())).TimeOfDay);
    }

    [Fact]
    public async Task A_night_shift_in_a_series_that_crosses_the_clock_change_has_its_true_length()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        // The awareness team, Saturday 22:00 to Sunday 06:00; the clocks go back in the night of 24/25 October 2026.
        var start = new DateTimeOffset(2026, 10, 17, 22, 0, 0, Summer);
        var end = new DateTimeOffset(2026, 10, 18, 6, 0, 0, Summer);

        var created = await CreateAsync(coordinator, org, Event(start, end, "Awareness-Team Viertel", "awareness",
            shifts: [Shift(start, end, "Nachtschicht")], recurrence: new { weekdays = new[] { "saturday" }, count = 2 }));

        var second = await GetAsync(coordinator, $"/api/events/{created.GetProperty("occurrences")[1].Id()}");
        var shift = second.GetProperty("shifts")[0];
        Assert.Equal("2026-10-24T22:00:00+02:00", shift.Text("startsAt"));
        Assert.Equal("2026-10-25T06:00:00+01:00", shift.Text("endsAt"));
        Assert.Equal(TimeSpan.FromHours(9), shift.GetProperty("endsAt").GetDateTimeOffset() - shift.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_series_until_a_date_covers_every_given_weekday_up_to_and_including_it()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = new DateTimeOffset(2027, 1, 2, 10, 0, 0, Winter); // a Saturday

        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(2), "Verteilaktion", "distribution",
            recurrence: new { weekdays = new[] { "wednesday", "saturday" }, until = "2027-01-16" }));

        Assert.Equal(
            ["2027-01-02T10:00:00+01:00", "2027-01-06T10:00:00+01:00", "2027-01-09T10:00:00+01:00", "2027-01-13T10:00:00+01:00", "2027-01-16T10:00:00+01:00"],
            created.GetProperty("occurrences").EnumerateArray().Select(o => o.Text("startsAt")));
    }

    [Fact]
    public async Task Publishing_a_series_publishes_every_draft_occurrence_once_and_cancelling_one_leaves_the_others_untouched()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(40, 10);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(4), shifts: [Shift(start, start.AddHours(2))],
            recurrence: new { weekdays = new[] { start.DayOfWeek.ToString().ToLowerInvariant() }, count = 3 }));
        var ids = created.GetProperty("occurrences").EnumerateArray().Select(o => o.Id()).ToList();

        // One occurrence was cancelled before the series went out: publishing the series leaves it cancelled.
        await PostAsync(coordinator, $"/api/events/{ids[2]}/cancel");
        await PostAsync(coordinator, $"/api/events/{ids[1]}/publish?series=true");
        var announced = await ReceivedSettledAsync<EventPublished>(fixture, m => ids.Contains(m.EventId), 2);
        Assert.Equal(new[] { ids[0], ids[1] }.Order(), announced.Select(a => a.Message.EventId).Order());

        var claimant = Guid.NewGuid();
        var occurrences = new List<JsonElement>();
        foreach (var id in ids)
        {
            occurrences.Add(await GetAsync(coordinator, $"/api/events/{id}"));
        }

        await ClaimAsync(fixture, occurrences[0].ShiftIds()[0], claimant);
        await ClaimAsync(fixture, occurrences[1].ShiftIds()[0], claimant);

        var cancelled = await PostAsync(coordinator, $"/api/events/{ids[1]}/cancel", new { reason = "Stadtfest" });
        Assert.Equal("cancelled", cancelled.Text("status"));

        var first = await GetAsync(coordinator, $"/api/events/{ids[0]}");
        Assert.Equal("published", first.Text("status"));
        Assert.Equal(occurrences[0].GetProperty("startsAt").GetRawText(), first.GetProperty("startsAt").GetRawText());
        Assert.Equal(1, first.GetProperty("shifts")[0].GetProperty("confirmed").GetInt32());
        Assert.Equal("confirmed", await ScalarAsync<string>(fixture, "SELECT status FROM claims WHERE shift_id = @id", occurrences[0].ShiftIds()[0]));
        Assert.Equal("published", await ScalarAsync<string>(fixture, "SELECT event_status FROM shifts WHERE id = @id", occurrences[0].ShiftIds()[0]));
        Assert.Equal("cancelled", (await GetAsync(coordinator, $"/api/events/{ids[2]}")).Text("status"));
        Assert.Equal("event-cancelled", await ScalarAsync<string>(fixture, "SELECT cancel_reason FROM claims WHERE shift_id = @id", occurrences[1].ShiftIds()[0]));
        Assert.Empty(fixture.Received<EventCancelled>(m => m.EventId == ids[0]));
    }

    // The rules without servers (local times, occurrence counts) are in Domain/RecurrenceRulesTests.cs.
}
