using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>
/// POST /api/events/{id}/preview counts what an action would do (the editor says it before the
/// click) and changes nothing; cancel with following: true takes a series' later occurrences along.
/// </summary>
[Collection(nameof(EventsCollection))]
public sealed class EventPreviewTests(EventsFixture fixture)
{
    [Fact]
    public async Task The_preview_of_each_move_counts_what_the_move_then_does_and_changes_nothing()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(61, 10);
        var festival = await PublishedAsync(coordinator, org, start, start.AddHours(6),
            [Shift(start, start.AddHours(3), "Aufbau"), Shift(start.AddHours(3), start.AddHours(6), "Ausschank", capacity: 2)]);
        var (setUp, bar) = (festival.ShiftIds()[0], festival.ShiftIds()[1]);
        var panelStart = start.AddDays(7).AddHours(3);
        var panel = await PublishedAsync(coordinator, org, panelStart, panelStart.AddHours(2), [Shift(panelStart, panelStart.AddHours(2), "Podium")]);

        var (anna, ben, wendy) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await ClaimAsync(fixture, setUp, anna);
        await ClaimAsync(fixture, bar, anna);                  // anna twice: one person told
        await ClaimAsync(fixture, bar, ben);                   // collides with the panel a week later
        await ClaimAsync(fixture, panel.ShiftIds()[0], ben);
        await JoinWaitlistAsync(fixture, bar, wendy);          // free a week later: gets ben's place

        var cancel = await PreviewAsync(coordinator, festival.Id(), new { action = "cancel" });
        Assert.Equal(("cancel", 1, 2, 3, 0, 2), Numbers(cancel));
        var postpone = await PreviewAsync(coordinator, festival.Id(), new { action = "postpone" });
        Assert.Equal(("postpone", 1, 2, 0, 0, 2), Numbers(postpone));
        var moveTo = start.AddDays(7);
        var reschedule = await PreviewAsync(coordinator, festival.Id(), new { action = "reschedule", startsAt = Iso(moveTo), endsAt = Iso(moveTo.AddHours(6)) });
        Assert.Equal(("reschedule", 1, 3, 1, 1, 2), Numbers(reschedule));
        var same = await PreviewAsync(coordinator, festival.Id(), new { action = "reschedule", startsAt = Iso(start), endsAt = Iso(start.AddHours(6)) });
        Assert.Equal(("reschedule", 0, 0, 0, 0, 0), Numbers(same));
        var publish = await PreviewAsync(coordinator, festival.Id(), new { action = "publish" });
        Assert.Equal(("publish", 0, 0, 0, 0, 0), Numbers(publish));

        // Nothing changed: every claim stands, nobody was told anything.
        Assert.Equal(3L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims c JOIN shifts s ON s.id = c.shift_id WHERE s.event_id = @id AND c.status = 'confirmed'", festival.Id()));
        Assert.Equal("published", (await GetAsync(coordinator, $"/api/events/{festival.Id()}")).Text("status"));

        // The move does what its preview said: ben's bar claim released, wendy moves up.
        await PostAsync(coordinator, $"/api/events/{festival.Id()}/reschedule", new { startsAt = Iso(moveTo), endsAt = Iso(moveTo.AddHours(6)) });
        var released = await ReceivedSettledAsync<ClaimCancelled>(fixture, m => m.Shift.EventId == festival.Id());
        Assert.Equal(ben, Assert.Single(released).Message.VolunteerId);
        Assert.Equal(wendy, Assert.Single(await ReceivedSettledAsync<WaitlistPromoted>(fixture, m => m.Shift.ShiftId == bar)).Message.VolunteerId);
    }

    [Fact]
    public async Task The_preview_of_publishing_counts_a_draft_or_every_draft_of_its_series()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(63, 10);
        var series = await CreateAsync(coordinator, org, Event(start, start.AddHours(4), shifts: [Shift(start, start.AddHours(2)), Shift(start.AddHours(2), start.AddHours(4))],
            recurrence: new { weekdays = new[] { start.DayOfWeek.ToString().ToLowerInvariant() }, count = 3 }));

        Assert.Equal(("publish", 1, 0, 0, 0, 2), Numbers(await PreviewAsync(coordinator, series.Id(), new { action = "publish" })));
        Assert.Equal(("publish", 3, 0, 0, 0, 6), Numbers(await PreviewAsync(coordinator, series.Id(), new { action = "publish", series = true })));
        Assert.Equal("draft", (await GetAsync(coordinator, $"/api/events/{series.Id()}")).Text("status"));
    }

    [Fact]
    public async Task The_preview_refuses_what_the_action_refuses_and_is_for_coordinators_only()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(64, 10);
        var published = await PublishedAsync(coordinator, org, start, start.AddHours(2), [Shift(start, start.AddHours(2))]);
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(2)));
        var path = $"/api/events/{published.Id()}/preview";

        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { action = "explode" }), HttpStatusCode.BadRequest, "validation", "action");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { }), HttpStatusCode.BadRequest, "validation", "action");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { action = "reschedule" }), HttpStatusCode.BadRequest, "validation", "startsAt");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { action = "reschedule", startsAt = Iso(start), endsAt = Iso(start.AddHours(-1)) }),
            HttpStatusCode.BadRequest, "validation", "endsAt");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { action = "cancel", colour = "red" }), HttpStatusCode.BadRequest, "validation", "colour");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync($"/api/events/{draft.Id()}/preview", new { action = "postpone" }), HttpStatusCode.Conflict, "event-not-published");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync($"/api/events/{Guid.NewGuid()}/preview", new { action = "cancel" }), HttpStatusCode.NotFound, "not-found");

        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(helperToken);
        await ExpectProblemAsync(await helper.PostAsJsonAsync(path, new { action = "cancel" }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await helper.PostAsJsonAsync($"/api/events/{draft.Id()}/preview", new { action = "cancel" }), HttpStatusCode.NotFound, "not-found");

        await PostAsync(coordinator, $"/api/events/{published.Id()}/cancel");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, new { action = "reschedule", startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)) }),
            HttpStatusCode.Conflict, "event-cancelled");
        Assert.Equal(("cancel", 0, 0, 0, 0, 0), Numbers(await PreviewAsync(coordinator, published.Id(), new { action = "cancel" })));
    }

    [Fact]
    public async Task Cancel_following_cancels_the_occurrence_and_every_later_one_of_its_series_each_told_once()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(65, 10);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(2), shifts: [Shift(start, start.AddHours(2))],
            recurrence: new { weekdays = new[] { start.DayOfWeek.ToString().ToLowerInvariant() }, count = 4 }));
        await PostAsync(coordinator, $"/api/events/{created.Id()}/publish?series=true");
        var occurrences = created.GetProperty("occurrences").EnumerateArray().Select(o => o.Id()).ToList();
        var anna = Guid.NewGuid();
        var claims = new List<Guid>();
        foreach (var occurrence in occurrences)
        {
            claims.Add(await ClaimAsync(fixture, (await GetAsync(coordinator, $"/api/events/{occurrence}")).ShiftIds()[0], anna));
        }

        // The third occurrence was called off on its own already.
        await PostAsync(coordinator, $"/api/events/{occurrences[2]}/cancel", new { reason = "Feiertag" });
        var preview = await PreviewAsync(coordinator, occurrences[1], new { action = "cancel", following = true });
        Assert.Equal(("cancel", 2, 1, 2, 0, 2), Numbers(preview));

        var answer = await PostAsync(coordinator, $"/api/events/{occurrences[1]}/cancel", new { reason = "Der Verein pausiert", following = true });

        Assert.Equal(occurrences[1], answer.Id());
        Assert.Equal("cancelled", answer.Text("status"));
        var statuses = new List<string>();
        foreach (var occurrence in occurrences)
        {
            statuses.Add((await GetAsync(coordinator, $"/api/events/{occurrence}")).Text("status"));
        }

        Assert.Equal(["published", "cancelled", "cancelled", "cancelled"], statuses);
        Assert.Equal("Feiertag", (await GetAsync(coordinator, $"/api/events/{occurrences[2]}")).Text("statusReason"));
        Assert.Equal("confirmed", await ScalarAsync<string>(fixture, "SELECT status FROM claims WHERE id = @id", claims[0]));
        foreach (var (occurrence, index) in new[] { (occurrences[1], 1), (occurrences[3], 3) })
        {
            var told = Assert.Single(await ReceivedSettledAsync<EventCancelled>(fixture, m => m.EventId == occurrence)).Message;
            Assert.Equal(anna, Assert.Single(told.AffectedVolunteerIds));
            Assert.Equal("Der Verein pausiert", told.Reason);
            Assert.Equal(claims[index], Assert.Single(fixture.Received<ClaimCancelled>(m => m.Shift.EventId == occurrence)).Message.ClaimId);
        }

        Assert.Single(fixture.Received<EventCancelled>(m => m.EventId == occurrences[2]));
        Assert.Empty(fixture.Received<EventCancelled>(m => m.EventId == occurrences[0]));
    }

    [Fact]
    public async Task Following_is_ignored_on_an_event_without_a_series()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(66, 10);
        var first = await PublishedAsync(coordinator, org, start, start.AddHours(2), [Shift(start, start.AddHours(2))]);
        var later = await PublishedAsync(coordinator, org, start.AddDays(7), start.AddDays(7).AddHours(2), [Shift(start.AddDays(7), start.AddDays(7).AddHours(2))]);

        Assert.Equal(1, (await PreviewAsync(coordinator, first.Id(), new { action = "cancel", following = true })).GetProperty("events").GetInt32());
        await PostAsync(coordinator, $"/api/events/{first.Id()}/cancel", new { following = true });

        Assert.Equal("cancelled", (await GetAsync(coordinator, $"/api/events/{first.Id()}")).Text("status"));
        Assert.Equal("published", (await GetAsync(coordinator, $"/api/events/{later.Id()}")).Text("status"));
    }

    private static async Task<JsonElement> PreviewAsync(HttpClient coordinator, Guid eventId, object body) =>
        await PostAsync(coordinator, $"/api/events/{eventId}/preview", body);

    private static (string, int, int, int, int, int) Numbers(JsonElement preview) =>
        (preview.Text("action"), preview.GetProperty("events").GetInt32(), preview.GetProperty("told").GetInt32(), preview.GetProperty("released").GetInt32(),
            preview.GetProperty("overlapping").GetInt32(), preview.GetProperty("shifts").GetInt32());

    private async Task<(string Org, HttpClient Coordinator)> CoordinatorAsync()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        return (org, fixture.Client(token));
    }

    private static async Task<JsonElement> PublishedAsync(HttpClient coordinator, string org, DateTimeOffset startsAt, DateTimeOffset endsAt, object[] shifts)
    {
        var created = await CreateAsync(coordinator, org, Event(startsAt, endsAt, "Sommerfest", "festival", shifts));
        return await PostAsync(coordinator, $"/api/events/{created.Id()}/publish");
    }
}
