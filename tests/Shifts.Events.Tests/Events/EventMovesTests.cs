using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>Events that move: postpone keeps the claims, reschedule keeps those that still fit, cancel releases them all — and each says who was affected.</summary>
[Collection(nameof(EventsCollection))]
public sealed class EventMovesTests(EventsFixture fixture)
{
    [Fact]
    public async Task Postpone_keeps_every_claim_closes_the_shifts_and_tells_the_claimants_once()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(50, 18);
        var meeting = await PublishedAsync(coordinator, org, start, start.AddHours(3), [Shift(start, start.AddHours(1), "Einlass"), Shift(start.AddHours(1), start.AddHours(3), "Moderation")]);
        var shifts = meeting.ShiftIds();
        var (anna, ben) = (Guid.NewGuid(), Guid.NewGuid());
        await ClaimAsync(fixture, shifts[0], anna);
        await ClaimAsync(fixture, shifts[1], anna);
        await ClaimAsync(fixture, shifts[1], ben);

        var postponed = await PostAsync(coordinator, $"/api/events/{meeting.Id()}/postpone", new { reason = "Der Saal ist nicht verfügbar." });

        Assert.Equal("postponed", postponed.Text("status"));
        Assert.Equal("Der Saal ist nicht verfügbar.", postponed.Text("statusReason"));
        Assert.Equal([1, 2], postponed.GetProperty("shifts").EnumerateArray().Select(s => s.GetProperty("confirmed").GetInt32()));
        Assert.Equal(3L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims c JOIN shifts s ON s.id = c.shift_id WHERE s.event_id = @id AND c.status = 'confirmed'", meeting.Id()));
        Assert.Equal("postponed", await ScalarAsync<string>(fixture, "SELECT DISTINCT event_status FROM shifts WHERE event_id = @id", meeting.Id()));

        // Still visible to everyone (as postponed), but its shifts are no longer in the open-shift list.
        using var anonymous = fixture.Client();
        Assert.Equal("postponed", (await GetAsync(anonymous, $"/api/events/{meeting.Id()}")).Text("status"));
        Assert.Contains(meeting.Id(), (await GetAsync(anonymous, $"/api/orgs/{org}/events")).GetProperty("items").EnumerateArray().Select(e => e.Id()));

        // Postponing again tells nobody a second time.
        await PostAsync(coordinator, $"/api/events/{meeting.Id()}/postpone");
        var told = await ReceivedSettledAsync<EventPostponed>(fixture, m => m.EventId == meeting.Id());
        var message = Assert.Single(told).Message;
        Assert.Equal(new[] { anna, ben }.Order(), message.AffectedVolunteerIds.Order());
        Assert.Equal("Der Saal ist nicht verfügbar.", message.Reason);
        Assert.Equal(start.ToUniversalTime(), message.StartsAt);
        // Each shift with the revision the postponement raised (issue 16: consumers order by it).
        Assert.Equal(shifts, message.Shifts!.Select(s => s.ShiftId));
        foreach (var shift in message.Shifts!)
        {
            Assert.Equal(await ScalarAsync<int>(fixture, "SELECT calendar_sequence FROM shifts WHERE id = @id", shift.ShiftId), shift.Revision);
            Assert.True(shift.Revision > 0, $"revision {shift.Revision}");
        }

        Assert.Empty(fixture.Received<ClaimCancelled>(m => m.Shift.EventId == meeting.Id()));
    }

    [Fact]
    public async Task Reschedule_releases_claims_that_now_overlap_and_says_who_was_affected()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(60, 10);
        var festival = await PublishedAsync(coordinator, org, start, start.AddHours(6),
            [Shift(start, start.AddHours(3), "Aufbau"), Shift(start.AddHours(3), start.AddHours(6), "Ausschank")]);
        var (setUp, bar) = (festival.ShiftIds()[0], festival.ShiftIds()[1]);

        // A panel a week later, 13:00-15:00, that two of the helpers also signed up for.
        var panelStart = start.AddDays(7).AddHours(3);
        var panel = await PublishedAsync(coordinator, org, panelStart, panelStart.AddHours(2), [Shift(panelStart, panelStart.AddHours(2), "Podium")]);
        var podium = panel.ShiftIds()[0];

        var (anna, ben, cem, dora) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await ClaimAsync(fixture, setUp, anna);          // 10-13: still free a week later
        var bensBar = await ClaimAsync(fixture, bar, ben); // 13-16: collides with the panel a week later
        await ClaimAsync(fixture, bar, cem);             // 13-16: free
        await ClaimAsync(fixture, podium, ben);
        await ClaimAsync(fixture, podium, dora);         // not on the festival at all

        var moved = await PostAsync(coordinator, $"/api/events/{festival.Id()}/reschedule",
            new { startsAt = Iso(start.AddDays(7)), endsAt = Iso(start.AddDays(7).AddHours(6)) });

        Assert.Equal(Iso(start.AddDays(7)), moved.Text("startsAt"));
        Assert.Equal("published", moved.Text("status"));
        var shifts = moved.GetProperty("shifts").EnumerateArray().ToList();
        Assert.Equal([Iso(start.AddDays(7)), Iso(start.AddDays(7).AddHours(3))], shifts.Select(s => s.Text("startsAt")));
        Assert.Equal([1, 1], shifts.Select(s => s.GetProperty("confirmed").GetInt32()));

        Assert.Equal("cancelled", await ScalarAsync<string>(fixture, "SELECT status FROM claims WHERE id = @id", bensBar));
        Assert.Equal("reschedule-conflict", await ScalarAsync<string>(fixture, "SELECT cancel_reason FROM claims WHERE id = @id", bensBar));
        Assert.Equal(2L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims WHERE shift_id = @id AND status = 'confirmed'", podium));
        // The kept claims moved with their shifts.
        Assert.Equal(0L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM claims c JOIN shifts s ON s.id = c.shift_id
            WHERE s.event_id = @id AND c.during <> tstzrange(s.starts_at, s.ends_at, '[)')
            """, festival.Id()));

        var released = await ReceivedSettledAsync<ClaimCancelled>(fixture, m => m.Shift.EventId == festival.Id());
        var cancellation = Assert.Single(released).Message;
        Assert.Equal((bensBar, ben, "reschedule-conflict"), (cancellation.ClaimId, cancellation.VolunteerId, cancellation.Reason));
        Assert.Equal(bar, cancellation.Shift.ShiftId);
        Assert.Equal(start.AddDays(7).AddHours(3).ToUniversalTime(), cancellation.Shift.StartsAt); // the new time

        var rescheduled = Assert.Single(await ReceivedSettledAsync<EventRescheduled>(fixture, m => m.EventId == festival.Id())).Message;
        Assert.Equal((start.ToUniversalTime(), start.AddHours(6).ToUniversalTime()), (rescheduled.OldStartsAt, rescheduled.OldEndsAt));
        Assert.Equal((start.AddDays(7).ToUniversalTime(), start.AddDays(7).AddHours(6).ToUniversalTime()), (rescheduled.NewStartsAt, rescheduled.NewEndsAt));
        Assert.Equal(new[] { anna, cem }.Order(), rescheduled.AffectedVolunteerIds.Order());
        // Each shift's new times with the revision the move raised, as the release of Ben's claim says too.
        Assert.Equal([setUp, bar], rescheduled.Shifts!.Select(s => s.ShiftId));
        Assert.Equal([start.AddDays(7).ToUniversalTime(), start.AddDays(7).AddHours(3).ToUniversalTime()], rescheduled.Shifts!.Select(s => s.StartsAt));
        Assert.Equal(cancellation.Shift.Revision, rescheduled.Shifts![1].Revision);
        Assert.Equal(await ScalarAsync<int>(fixture, "SELECT calendar_sequence FROM shifts WHERE id = @id", setUp), rescheduled.Shifts![0].Revision);
        Assert.Empty(fixture.Received<ClaimCancelled>(m => m.Shift.EventId == panel.Id()));
    }

    [Fact]
    public async Task Reschedule_gives_a_released_place_to_the_first_waiting_person_who_is_free_at_the_new_time()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(70, 10);
        var stand = await PublishedAsync(coordinator, org, start, start.AddHours(2), [Shift(start, start.AddHours(2), capacity: 1)]);
        var other = await PublishedAsync(coordinator, org, start.AddDays(1), start.AddDays(1).AddHours(2), [Shift(start.AddDays(1), start.AddDays(1).AddHours(2))]);
        var shift = stand.ShiftIds()[0];
        var (holder, busyWaiter, freeWaiter) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await ClaimAsync(fixture, shift, holder);
        await ClaimAsync(fixture, other.ShiftIds()[0], holder);
        await ClaimAsync(fixture, other.ShiftIds()[0], busyWaiter);
        await JoinWaitlistAsync(fixture, shift, busyWaiter);
        await JoinWaitlistAsync(fixture, shift, freeWaiter);

        var moved = await PostAsync(coordinator, $"/api/events/{stand.Id()}/reschedule",
            new { startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)) });

        var staffing = moved.GetProperty("shifts")[0];
        Assert.Equal(1, staffing.GetProperty("confirmed").GetInt32());
        Assert.Equal(1, staffing.GetProperty("waitlisted").GetInt32());
        Assert.Equal(freeWaiter, await ScalarAsync<Guid>(fixture, "SELECT volunteer_id FROM claims WHERE shift_id = @id AND status = 'confirmed'", shift));
        Assert.Single(await ReceivedSettledAsync<ClaimCancelled>(fixture, m => m.Shift.ShiftId == shift && m.VolunteerId == holder));
        var promoted = Assert.Single(await ReceivedSettledAsync<WaitlistPromoted>(fixture, m => m.Shift.ShiftId == shift));
        Assert.Equal(freeWaiter, promoted.Message.VolunteerId);
    }

    [Fact]
    public async Task A_claim_racing_a_reschedule_into_its_time_never_leaves_the_volunteer_with_two_overlapping_claims()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        for (var round = 0; round < 8; round++)
        {
            var start = BerlinFuture(110 + (round * 2), 10);
            var moving = await PublishedAsync(coordinator, org, start, start.AddHours(2), [Shift(start, start.AddHours(2))]);
            var target = start.AddDays(1);
            var fixedEvent = await PublishedAsync(coordinator, org, target, target.AddHours(2), [Shift(target, target.AddHours(2))]);
            var volunteer = Guid.NewGuid();
            var held = await ClaimAsync(fixture, moving.ShiftIds()[0], volunteer);
            await fixture.GrantAsync(org, "helper", volunteer);
            using var helper = fixture.Client(fixture.Tokens.Mint(volunteer, "Helferin", [(org, "helper")]));

            using var go = new SemaphoreSlim(0);
            var reschedule = Task.Run(async () =>
            {
                await go.WaitAsync();
                using var response = await coordinator.PostAsJsonAsync($"/api/events/{moving.Id()}/reschedule",
                    new { startsAt = Iso(target), endsAt = Iso(target.AddHours(2)) });
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            });
            var claim = Task.Run(async () =>
            {
                await go.WaitAsync();
                using var response = await helper.PostAsync($"/api/shifts/{fixedEvent.ShiftIds()[0]}/claims", null);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            });
            go.Release(2);
            var (rescheduled, claimed) = (await reschedule, await claim);

            Assert.True(rescheduled.StatusCode == HttpStatusCode.OK, rescheduled.Item2);
            Assert.True(claimed.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, claimed.Item2);
            var confirmed = await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims WHERE volunteer_id = @id AND status = 'confirmed'", volunteer);
            Assert.Equal(1L, confirmed);
            if (claimed.StatusCode == HttpStatusCode.Created)
            {
                // The new claim won: the moved one was released and its holder told.
                Assert.Equal("reschedule-conflict", await ScalarAsync<string>(fixture, "SELECT cancel_reason FROM claims WHERE id = @id", held));
                Assert.Single(await ReceivedSettledAsync<ClaimCancelled>(fixture, m => m.ClaimId == held));
            }
            else
            {
                Assert.Contains("overlapping-claim", claimed.Item2, StringComparison.Ordinal);
                Assert.Equal("confirmed", await ScalarAsync<string>(fixture, "SELECT status FROM claims WHERE id = @id", held));
            }
        }
    }

    [Fact]
    public async Task Rescheduling_a_postponed_event_puts_it_on_again_at_the_new_time()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(80, 19);
        var meeting = await PublishedAsync(coordinator, org, start, start.AddHours(2), [Shift(start, start.AddHours(2))]);
        var helper = Guid.NewGuid();
        await ClaimAsync(fixture, meeting.ShiftIds()[0], helper);
        await PostAsync(coordinator, $"/api/events/{meeting.Id()}/postpone", new { reason = "Referent krank" });

        // Publishing does not put a postponed event on again: it needs a (possibly the same) time.
        await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{meeting.Id()}/publish", null), HttpStatusCode.Conflict, "event-postponed");

        var later = start.AddDays(14);
        var again = await PostAsync(coordinator, $"/api/events/{meeting.Id()}/reschedule", new { startsAt = Iso(later), endsAt = Iso(later.AddHours(2)) });
        Assert.Equal("published", again.Text("status"));
        Assert.Equal(JsonValueKind.Null, again.GetProperty("statusReason").ValueKind);
        Assert.Equal("published", await ScalarAsync<string>(fixture, "SELECT event_status FROM shifts WHERE event_id = @id", meeting.Id()));
        var message = Assert.Single(await ReceivedSettledAsync<EventRescheduled>(fixture, m => m.EventId == meeting.Id())).Message;
        Assert.Equal([helper], message.AffectedVolunteerIds);
        // Later than the postponement by revision, so a consumer that sees them the other way round keeps the new time.
        var postponement = Assert.Single(await ReceivedSettledAsync<EventPostponed>(fixture, m => m.EventId == meeting.Id())).Message;
        Assert.True(Assert.Single(message.Shifts!).Revision > Assert.Single(postponement.Shifts!).Revision);
        Assert.Equal(later.ToUniversalTime(), message.Shifts![0].StartsAt);

        // The same times again change nothing and tell nobody again.
        await PostAsync(coordinator, $"/api/events/{meeting.Id()}/reschedule", new { startsAt = Iso(later), endsAt = Iso(later.AddHours(2)) });
        Assert.Single(await ReceivedSettledAsync<EventRescheduled>(fixture, m => m.EventId == meeting.Id()));
    }

    [Fact]
    public async Task Reschedule_moves_shifts_by_the_same_absolute_time_across_a_clock_change()
    {
        var (org, coordinator) = await CoordinatorAsync("Europe/Berlin");
        using var _ = coordinator;
        var start = new DateTimeOffset(2027, 10, 30, 10, 0, 0, TimeSpan.FromHours(2));
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(4), shifts: [Shift(start.AddHours(1), start.AddHours(3))]));

        // One week later by the calendar is 7 × 24 h + 1 h on the clock; the shift keeps its place within the event.
        var next = new DateTimeOffset(2027, 11, 6, 10, 0, 0, TimeSpan.FromHours(1));
        var moved = await PostAsync(coordinator, $"/api/events/{draft.Id()}/reschedule", new { startsAt = Iso(next), endsAt = Iso(next.AddHours(4)) });

        Assert.Equal("draft", moved.Text("status"));
        Assert.Equal("2027-11-06T11:00:00+01:00", moved.GetProperty("shifts")[0].Text("startsAt"));
        Assert.Equal("2027-11-06T13:00:00+01:00", moved.GetProperty("shifts")[0].Text("endsAt"));
    }

    [Fact]
    public async Task Cancel_releases_every_claim_clears_the_waitlists_and_tells_everyone_once()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(90, 14);
        var festival = await PublishedAsync(coordinator, org, start, start.AddHours(8),
            [Shift(start, start.AddHours(4), "Grill", capacity: 2), Shift(start.AddHours(4), start.AddHours(8), "Kasse", capacity: 1)]);
        var (grill, till) = (festival.ShiftIds()[0], festival.ShiftIds()[1]);
        var (anna, ben, cem, waiting) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var claims = new[]
        {
            await ClaimAsync(fixture, grill, anna),
            await ClaimAsync(fixture, grill, ben),
            await ClaimAsync(fixture, till, anna),
        };
        await JoinWaitlistAsync(fixture, till, waiting);
        // Someone else's claim on another event is none of this cancellation's business.
        var otherStart = start.AddDays(1);
        var other = await PublishedAsync(coordinator, org, otherStart, otherStart.AddHours(2), [Shift(otherStart, otherStart.AddHours(2))]);
        await ClaimAsync(fixture, other.ShiftIds()[0], cem);

        var cancelled = await PostAsync(coordinator, $"/api/events/{festival.Id()}/cancel", new { reason = "Unwetterwarnung" });

        Assert.Equal("cancelled", cancelled.Text("status"));
        Assert.Equal("Unwetterwarnung", cancelled.Text("statusReason"));
        Assert.All(cancelled.GetProperty("shifts").EnumerateArray(), s =>
        {
            Assert.Equal(0, s.GetProperty("confirmed").GetInt32());
            Assert.Equal(0, s.GetProperty("waitlisted").GetInt32());
            Assert.Equal("cancelled", s.Text("status")); // issue 15: a cancelled event's shifts read cancelled
        });
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims c JOIN shifts s ON s.id = c.shift_id WHERE s.event_id = @id AND c.status = 'confirmed'", festival.Id()));
        Assert.Equal(3L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM claims c JOIN shifts s ON s.id = c.shift_id WHERE s.event_id = @id AND c.cancel_reason = 'event-cancelled'", festival.Id()));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM waitlist_entries WHERE shift_id = @id", till));
        Assert.Equal("cancelled", await ScalarAsync<string>(fixture, "SELECT DISTINCT event_status FROM shifts WHERE event_id = @id", festival.Id()));
        Assert.Equal("confirmed", await ScalarAsync<string>(fixture, "SELECT status FROM claims WHERE shift_id = @id", other.ShiftIds()[0]));

        // Cancelling again is harmless and tells nobody twice.
        await PostAsync(coordinator, $"/api/events/{festival.Id()}/cancel");
        var releases = await ReceivedSettledAsync<ClaimCancelled>(fixture, m => m.Shift.EventId == festival.Id(), 3);
        Assert.Equal(claims.Order(), releases.Select(r => r.Message.ClaimId).Order());
        Assert.All(releases, r => Assert.Equal("event-cancelled", r.Message.Reason));
        Assert.Equal(3, releases.Select(r => r.MessageId).Distinct().Count());
        var message = Assert.Single(await ReceivedSettledAsync<EventCancelled>(fixture, m => m.EventId == festival.Id())).Message;
        Assert.Equal(new[] { anna, ben }.Order(), message.AffectedVolunteerIds.Order());
        Assert.Equal("Unwetterwarnung", message.Reason);
        Assert.Equal(festival.ShiftIds().Order(), message.Shifts!.Select(s => s.ShiftId).Order());
    }

    [Fact]
    public async Task A_cancelled_event_cannot_be_postponed_or_rescheduled_and_a_draft_cannot_be_postponed()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(95, 10);
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(2)));
        await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{draft.Id()}/postpone", null), HttpStatusCode.Conflict, "event-not-published");

        await PostAsync(coordinator, $"/api/events/{draft.Id()}/cancel");
        await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{draft.Id()}/postpone", null), HttpStatusCode.Conflict, "event-cancelled");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync($"/api/events/{draft.Id()}/reschedule",
            new { startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)) }), HttpStatusCode.Conflict, "event-cancelled");
        Assert.Equal(Iso(start), (await GetAsync(coordinator, $"/api/events/{draft.Id()}")).Text("startsAt"));
    }

    [Fact]
    public async Task Shortening_an_event_so_that_its_shifts_would_end_far_after_it_is_refused()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var start = BerlinFuture(96, 8);
        var festival = await CreateAsync(coordinator, org, Event(start, start.AddDays(2), "Stadtteilfest", "festival",
            shifts: [Shift(start.AddDays(2).AddHours(-2), start.AddDays(2).AddHours(4), "Abbau")]));

        using var response = await coordinator.PostAsJsonAsync($"/api/events/{festival.Id()}/reschedule", new { startsAt = Iso(start), endsAt = Iso(start.AddHours(6)) });
        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation", "endsAt");
        Assert.Equal(Iso(start.AddDays(2)), (await GetAsync(coordinator, $"/api/events/{festival.Id()}")).Text("endsAt"));
    }

    private async Task<(string Org, HttpClient Coordinator)> CoordinatorAsync(string? timeZone = null)
    {
        var org = await fixture.CreateOrganisationAsync(timeZone);
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        return (org, fixture.Client(token));
    }

    private static async Task<JsonElement> PublishedAsync(HttpClient coordinator, string org, DateTimeOffset startsAt, DateTimeOffset endsAt, object[] shifts)
    {
        var created = await CreateAsync(coordinator, org, Event(startsAt, endsAt, "Sommerfest", "festival", shifts));
        return await PostAsync(coordinator, $"/api/events/{created.Id()}/publish");
    }
}
