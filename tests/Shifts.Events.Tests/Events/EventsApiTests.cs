using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;
using Shifts.ServiceDefaults.Time;
using Shifts.Testing;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>Creating, reading, listing, editing and publishing events, and who may do which.</summary>
[Collection(nameof(EventsCollection))]
public sealed class EventsApiTests(EventsFixture fixture)
{
    [Fact]
    public async Task Coordinator_creates_a_draft_event_with_its_shifts_and_reads_it_back_in_local_time()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(20, 10);

        using var response = await coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", Event(start, start.AddHours(6), shifts:
        [
            Shift(start.AddHours(-1), start.AddHours(3), "Aufbau und erste Schicht"),
            Shift(start.AddHours(3), start.AddHours(7), "Zweite Schicht und Abbau", capacity: 2),
        ]));
        var created = await ExpectAsync(response, HttpStatusCode.Created);

        Assert.Equal($"/api/events/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", created.Text("status"));
        Assert.Equal("info-stand", created.Text("kind"));
        Assert.Equal(org, created.Text("org"));
        Assert.Equal("Europe/Berlin", created.Text("timeZone"));
        Assert.Equal("Marktplatz", created.GetProperty("location").Text("name"));
        Assert.Equal("Am Markt 1, 28195 Bremen", created.GetProperty("location").Text("address"));
        Assert.Equal(Iso(start), created.Text("startsAt"));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("seriesId").ValueKind);
        Assert.False(created.TryGetProperty("occurrences", out _));

        var shifts = created.GetProperty("shifts").EnumerateArray().ToList();
        Assert.Equal(2, shifts.Count);
        Assert.Equal("Aufbau und erste Schicht", shifts[0].Text("title"));
        Assert.Equal(Iso(start.AddHours(-1)), shifts[0].Text("startsAt"));
        Assert.Equal(2, shifts[1].GetProperty("capacity").GetInt32());
        Assert.Equal(1, shifts[1].GetProperty("minimum").GetInt32());
        Assert.Equal(0, shifts[1].GetProperty("confirmed").GetInt32());
        Assert.Equal(0, shifts[1].GetProperty("waitlisted").GetInt32());
        Assert.Equal("open", shifts[1].Text("status"));

        var read = await GetAsync(coordinator, $"/api/events/{created.Id()}");
        Assert.Equal(created.GetRawText(), read.GetRawText());

        // The shifts are announced like any other new shift, but the event itself only when published.
        var announced = await fixture.ReceivedAsync<ShiftCreated>(m => m.Shift.EventId == created.Id(), 2);
        Assert.Equal(2, announced.Count);
        Assert.Empty(fixture.Received<EventPublished>(m => m.EventId == created.Id()));
        Assert.Equal("draft", await ScalarAsync<string>(fixture, "SELECT DISTINCT event_status FROM shifts WHERE event_id = @id", created.Id()));
    }

    [Fact]
    public async Task An_organisation_zone_this_server_does_not_know_is_answered_in_the_default_zone()
    {
        // The volunteers service checks zone ids, but a replica can hold one this server's tz database lacks.
        var org = await fixture.CreateOrganisationAsync("Nowhere/Atlantis");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(20, 10);

        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(6), shifts: [Shift(start, start.AddHours(3))]));

        Assert.Equal(TimeZones.DefaultId, created.Text("timeZone"));
        Assert.Equal(Iso(start), created.Text("startsAt"));
        Assert.Equal(Iso(start), created.GetProperty("shifts")[0].Text("startsAt"));
        var read = await GetAsync(coordinator, $"/api/events/{created.Id()}");
        Assert.Equal(created.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task Drafts_are_invisible_to_helpers_and_anonymous_callers_but_visible_to_coordinators()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        using var coordinator = fixture.Client(coordinatorToken);
        using var helper = fixture.Client(helperToken);
        using var anonymous = fixture.Client();
        var start = BerlinFuture(21, 18);
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(2), "Neumitgliedertreffen", "meeting"));

        await ExpectProblemAsync(await helper.GetAsync($"/api/events/{draft.Id()}"), HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(await anonymous.GetAsync($"/api/events/{draft.Id()}"), HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(draft.Id(), Ids(await GetAsync(helper, $"/api/orgs/{org}/events")));
        Assert.DoesNotContain(draft.Id(), Ids(await GetAsync(anonymous, $"/api/orgs/{org}/events")));

        Assert.Equal("draft", (await GetAsync(coordinator, $"/api/events/{draft.Id()}")).Text("status"));
        Assert.Contains(draft.Id(), Ids(await GetAsync(coordinator, $"/api/orgs/{org}/events")));

        // Changing a draft one cannot see is "not found", not "forbidden": its existence is not told.
        await ExpectProblemAsync(await helper.PostAsync($"/api/events/{draft.Id()}/publish", null), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Publishing_shows_the_event_to_everyone_opens_its_shifts_and_announces_it_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        using var anonymous = fixture.Client();
        var start = BerlinFuture(22, 10);
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(4), shifts: [Shift(start, start.AddHours(2))]));

        var published = await PostAsync(coordinator, $"/api/events/{draft.Id()}/publish");
        Assert.Equal("published", published.Text("status"));
        Assert.Equal("published", await ScalarAsync<string>(fixture, "SELECT DISTINCT event_status FROM shifts WHERE event_id = @id", draft.Id()));

        var seen = await GetAsync(anonymous, $"/api/events/{draft.Id()}");
        Assert.Equal("published", seen.Text("status"));
        Assert.Single(seen.GetProperty("shifts").EnumerateArray());
        Assert.Contains(draft.Id(), Ids(await GetAsync(anonymous, $"/api/orgs/{org}/events")));

        // Publishing again changes nothing and tells nobody twice.
        Assert.Equal("published", (await PostAsync(coordinator, $"/api/events/{draft.Id()}/publish")).Text("status"));
        var announced = await ReceivedSettledAsync<EventPublished>(fixture, m => m.EventId == draft.Id());
        var message = Assert.Single(announced).Message;
        Assert.Equal(org, message.Org);
        Assert.Equal("info-stand", message.Kind);
        Assert.Equal(start.ToUniversalTime(), message.StartsAt);
        Assert.Equal("Marktplatz", message.LocationName);
    }

    [Fact]
    public async Task Helpers_cannot_create_or_change_events()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        using var coordinator = fixture.Client(coordinatorToken);
        using var helper = fixture.Client(helperToken);
        var start = BerlinFuture(23, 10);

        await ExpectProblemAsync(await helper.PostAsJsonAsync($"/api/orgs/{org}/events", Event(start, start.AddHours(2))), HttpStatusCode.Forbidden, "forbidden");

        var published = await CreateAsync(coordinator, org, Event(start, start.AddHours(2)));
        await PostAsync(coordinator, $"/api/events/{published.Id()}/publish");
        await ExpectProblemAsync(await helper.PatchAsJsonAsync($"/api/events/{published.Id()}", new { title = "Meins" }), HttpStatusCode.Forbidden, "forbidden");
        foreach (var action in new[] { "publish", "postpone", "cancel" })
        {
            await ExpectProblemAsync(await helper.PostAsync($"/api/events/{published.Id()}/{action}", null), HttpStatusCode.Forbidden, "forbidden");
        }

        await ExpectProblemAsync(await helper.PostAsJsonAsync($"/api/events/{published.Id()}/reschedule",
            new { startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)) }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("published", (await GetAsync(helper, $"/api/events/{published.Id()}")).Text("status"));
    }

    [Fact]
    public async Task Coordinators_of_another_organisation_cannot_create_or_change_its_events()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var (_, ownToken) = await fixture.CreateMemberAsync(org, "coordinator");
        var (_, strangerToken) = await fixture.CreateMemberAsync(other, "coordinator");
        using var own = fixture.Client(ownToken);
        using var stranger = fixture.Client(strangerToken);
        var start = BerlinFuture(24, 10);

        await ExpectProblemAsync(await stranger.PostAsJsonAsync($"/api/orgs/{org}/events", Event(start, start.AddHours(2))), HttpStatusCode.Forbidden, "forbidden");

        var draft = await CreateAsync(own, org, Event(start, start.AddHours(2)));
        await ExpectProblemAsync(await stranger.PostAsync($"/api/events/{draft.Id()}/publish", null), HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(draft.Id(), Ids(await GetAsync(stranger, $"/api/orgs/{org}/events")));

        await PostAsync(own, $"/api/events/{draft.Id()}/publish");
        await ExpectProblemAsync(await stranger.PostAsync($"/api/events/{draft.Id()}/cancel", null), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("published", (await GetAsync(own, $"/api/events/{draft.Id()}")).Text("status"));
    }

    [Fact]
    public async Task A_missing_token_is_401_where_one_is_needed_and_a_bad_token_is_401_everywhere()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (coordinatorId, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(25, 10);
        var published = await CreateAsync(coordinator, org, Event(start, start.AddHours(2)));
        await PostAsync(coordinator, $"/api/events/{published.Id()}/publish");

        using var anonymous = fixture.Client();
        await ExpectProblemAsync(await anonymous.PostAsJsonAsync($"/api/orgs/{org}/events", Event(start, start.AddHours(2))), HttpStatusCode.Unauthorized, "unauthenticated");
        await ExpectProblemAsync(await anonymous.PostAsync($"/api/events/{published.Id()}/cancel", null), HttpStatusCode.Unauthorized, "unauthenticated");

        var expired = fixture.Tokens.Mint(coordinatorId, "Koordinatorin", [(org, "coordinator")], now: DateTimeOffset.UtcNow.AddHours(-2));
        using var forger = new TestTokens();
        var forged = forger.Mint(coordinatorId, "Koordinatorin", [(org, "coordinator")]);
        foreach (var bad in new[] { expired, forged, "not-a-jwt" })
        {
            using var client = fixture.Client(bad);
            await ExpectProblemAsync(await client.GetAsync($"/api/orgs/{org}/events"), HttpStatusCode.Unauthorized, "unauthenticated");
            await ExpectProblemAsync(await client.GetAsync($"/api/events/{published.Id()}"), HttpStatusCode.Unauthorized, "unauthenticated");
            await ExpectProblemAsync(await client.PostAsJsonAsync($"/api/orgs/{org}/events", Event(start, start.AddHours(2))), HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }

    [Fact]
    public async Task Unknown_organisations_and_events_are_404()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinatorId = Guid.NewGuid();
        await fixture.GrantAsync("org-not-there", "coordinator", coordinatorId);
        await fixture.GrantAsync(org, "coordinator", coordinatorId);
        using var coordinator = fixture.Client(fixture.Tokens.Mint(coordinatorId, "Koordinator", [("org-not-there", "coordinator"), (org, "coordinator")]));
        var start = BerlinFuture(26, 10);

        await ExpectProblemAsync(await coordinator.PostAsJsonAsync("/api/orgs/org-not-there/events", Event(start, start.AddHours(2))), HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(await coordinator.GetAsync("/api/orgs/org-not-there/events"), HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(await coordinator.GetAsync($"/api/events/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(await coordinator.GetAsync("/api/events/not-a-guid"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(JsonValueKind.Array, (await GetAsync(coordinator, $"/api/orgs/{org}/events")).GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task The_list_pages_through_events_in_time_order_with_an_opaque_cursor_and_filters_by_time_and_kind()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        using var anonymous = fixture.Client();
        var first = BerlinFuture(30, 10);
        var created = new List<Guid>();
        foreach (var (day, kind) in new[] { (3, "info-stand"), (0, "festival"), (1, "info-stand"), (1, "panel"), (2, "info-stand") })
        {
            var start = first.AddDays(day);
            var id = (await CreateAsync(coordinator, org, Event(start, start.AddHours(3), $"Termin {day}", kind))).Id();
            await PostAsync(coordinator, $"/api/events/{id}/publish");
            created.Add(id);
        }

        // A draft and a cancelled event: only coordinators list them.
        var draft = (await CreateAsync(coordinator, org, Event(first, first.AddHours(1), "Entwurf"))).Id();
        var cancelled = (await CreateAsync(coordinator, org, Event(first, first.AddHours(1), "Abgesagt"))).Id();
        await PostAsync(coordinator, $"/api/events/{cancelled}/cancel");

        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(anonymous, $"/api/orgs/{org}/events?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add(page);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        var listed = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(5, listed.Select(e => e.Id()).Distinct().Count());
        Assert.Equal(listed.OrderBy(e => e.GetProperty("startsAt").GetDateTimeOffset()).ThenBy(e => e.Id()).Select(e => e.Id()), listed.Select(e => e.Id()));
        Assert.All(listed, e => Assert.Equal("published", e.Text("status")));
        Assert.Equal(Iso(first), listed[0].Text("startsAt"));

        var everything = Ids(await GetAsync(coordinator, $"/api/orgs/{org}/events"));
        Assert.Contains(draft, everything);
        Assert.Contains(cancelled, everything);
        Assert.Equal(7, everything.Count);

        var infoStands = Ids(await GetAsync(anonymous, $"/api/orgs/{org}/events?kind=info-stand"));
        Assert.Equal(3, infoStands.Count);

        // "from" and "to" are instants with an offset; an unencoded '+' (read as a space) is understood.
        var from = Uri.EscapeDataString(Iso(first.AddDays(1)));
        var to = Iso(first.AddDays(2)).Replace("+", " ", StringComparison.Ordinal);
        var window = await GetAsync(anonymous, $"/api/orgs/{org}/events?from={from}&to={to}");
        Assert.Equal(new[] { created[2], created[3] }.Order(), Ids(window).Order());

        // An event that is still running at "from" is listed.
        var running = await GetAsync(anonymous, $"/api/orgs/{org}/events?from={Uri.EscapeDataString(Iso(first.AddHours(1)))}&to={Uri.EscapeDataString(Iso(first.AddHours(2)))}");
        Assert.Equal([created[1]], Ids(running));
    }

    [Fact]
    public async Task Editing_changes_title_description_and_location_and_leaves_the_rest()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(27, 10);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(2), shifts: [Shift(start, start.AddHours(2))]));

        using var renamed = await coordinator.PatchAsJsonAsync($"/api/events/{created.Id()}", new { title = "  Infostand Bahnhof  ", location = new { name = "Bahnhofsvorplatz" } });
        var edited = await ExpectAsync(renamed, HttpStatusCode.OK);
        Assert.Equal("Infostand Bahnhof", edited.Text("title"));
        Assert.Equal("Bahnhofsvorplatz", edited.GetProperty("location").Text("name"));
        Assert.Equal("Am Markt 1, 28195 Bremen", edited.GetProperty("location").Text("address"));
        Assert.Equal("Flyer und Gespräche", edited.Text("description"));
        Assert.Equal(Iso(start), edited.Text("startsAt"));
        Assert.Single(edited.GetProperty("shifts").EnumerateArray());

        // An empty description or address removes it; leaving a field out keeps it.
        using var cleared = await coordinator.PatchAsJsonAsync($"/api/events/{created.Id()}", new { description = "", location = new { address = "" } });
        var plain = await ExpectAsync(cleared, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("location").GetProperty("address").ValueKind);
        Assert.Equal("Bahnhofsvorplatz", plain.GetProperty("location").Text("name"));
        Assert.Equal("Infostand Bahnhof", plain.Text("title"));
        Assert.Equal(plain.GetRawText(), (await GetAsync(coordinator, $"/api/events/{created.Id()}")).GetRawText());
    }

    [Fact]
    public async Task Publishing_or_editing_a_cancelled_event_is_409_event_cancelled()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var start = BerlinFuture(28, 10);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(2)));
        await PostAsync(coordinator, $"/api/events/{created.Id()}/cancel", new { reason = "Keine Helfer" });

        await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{created.Id()}/publish", null), HttpStatusCode.Conflict, "event-cancelled");
        await ExpectProblemAsync(await coordinator.PatchAsJsonAsync($"/api/events/{created.Id()}", new { title = "Doch" }), HttpStatusCode.Conflict, "event-cancelled");
        var read = await GetAsync(coordinator, $"/api/events/{created.Id()}");
        Assert.Equal("cancelled", read.Text("status"));
        Assert.Equal("Keine Helfer", read.Text("statusReason"));
        Assert.Empty(fixture.Received<EventPublished>(m => m.EventId == created.Id()));
    }

    private static List<Guid> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(e => e.Id()).ToList();
}
