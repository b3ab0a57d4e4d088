using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ical.Net.CalendarComponents;
using MassTransit;
using Shifts.Contracts;
using static Shifts.Events.Tests.Events.EventTestKit;
using IcalCalendar = Ical.Net.Calendar;

namespace Shifts.Events.Tests.Calendar;

/// <summary>
/// The personal calendar feed and a shift's .ics, read back with Ical.Net as a calendar app would:
/// the organisation's zone, a UID that stays (and is the confirmation mail's), a SEQUENCE that rises
/// when the shift moves, cancelled shifts struck out rather than gone, and a URL that is a secret.
/// </summary>
[Collection(nameof(EventsCollection))]
public sealed class CalendarFeedTests(EventsFixture fixture)
{
    private const string Chicago = "America/Chicago";

    [Fact]
    public async Task The_feed_shows_the_persons_shifts_in_the_organisations_zone_with_a_UID_that_stays()
    {
        var world = await WorldAsync(Chicago);
        var shiftId = await ShiftAsync(world, days: 12);
        var notMine = await ShiftAsync(world, days: 13);
        var claimId = await ClaimAsync(world.HelperToken, shiftId);
        var (_, otherToken) = await fixture.CreateMemberAsync(world.Org);
        await ClaimAsync(otherToken, notMine);

        var url = await FeedUrlAsync(world.HelperToken);
        Assert.StartsWith($"{EventsFixture.PublicBaseUrl}/api/calendar/", url, StringComparison.Ordinal);
        Assert.EndsWith(".ics", url, StringComparison.Ordinal);
        Assert.Equal(43, new Uri(url).Segments[^1].Length - ".ics".Length);
        Assert.Equal(url, await FeedUrlAsync(world.HelperToken));

        using var anonymous = fixture.Client();
        using var response = await anonymous.GetAsync(new Uri(url).AbsolutePath);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl is { Private: true, MaxAge: not null } caching && caching.MaxAge <= TimeSpan.FromHours(1),
            $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Contains("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
        Assert.Contains("\r\n", text, StringComparison.Ordinal);

        var calendar = IcalCalendar.Load(text)!;
        Assert.Null(calendar.Method);
        Assert.Equal(Chicago, Assert.Single(calendar.TimeZones).TzId);
        var entry = Assert.Single(calendar.Events);
        Assert.Equal($"{claimId}@shifts", entry.Uid);
        Assert.Equal(Chicago, entry.DtStart!.TzId);
        Assert.Equal(Chicago, entry.DtEnd!.TzId);
        Assert.Equal(Start(12).UtcDateTime, entry.DtStart.AsUtc);
        Assert.Equal(Start(12).AddHours(2).UtcDateTime, entry.DtEnd.AsUtc);
        // Local time as the organisation means it: 10:00 in Chicago.
        Assert.Equal(10, entry.DtStart.Hour);
        Assert.Equal("Sommerfest am Weserwehr – Ausschank", entry.Summary);
        Assert.Equal("Weserwehr, Am Weserwehr 1, Bremen", entry.Location);
        Assert.Contains($"{EventsFixture.PublicBaseUrl}/shifts/{shiftId}", entry.Description, StringComparison.Ordinal);
        Assert.Equal("CONFIRMED", entry.Status);

        // Fetched again after someone else claimed the same shift: the same entry, not revised.
        var (_, thirdToken) = await fixture.CreateMemberAsync(world.Org);
        await ClaimAsync(thirdToken, shiftId);
        var again = Assert.Single((await FeedAsync(url)).Events);
        Assert.Equal(entry.Uid, again.Uid);
        Assert.Equal(entry.Sequence, again.Sequence);
        Assert.Equal(entry.DtStamp!.AsUtc, again.DtStamp!.AsUtc);
    }

    [Fact]
    public async Task Moving_the_shift_its_event_or_its_place_raises_the_sequence()
    {
        var world = await WorldAsync(Chicago);
        var shiftId = await ShiftAsync(world, days: 14);
        var claimId = await ClaimAsync(world.HelperToken, shiftId);
        var url = await FeedUrlAsync(world.HelperToken);
        var before = await EntryAsync(url, claimId);

        using var coordinator = fixture.Client(world.CoordinatorToken);
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/shifts/{shiftId}", new { startsAt = Iso(Start(14).AddHours(1)), endsAt = Iso(Start(14).AddHours(3)) }), HttpStatusCode.OK);
        var moved = await EntryAsync(url, claimId);
        Assert.True(moved.Sequence > before.Sequence, $"SEQUENCE {before.Sequence} → {moved.Sequence} after the shift moved");
        Assert.Equal(Start(14).AddHours(1).UtcDateTime, moved.DtStart!.AsUtc);
        Assert.True(moved.DtStamp!.AsUtc >= before.DtStamp!.AsUtc);

        // A change that changes nothing a calendar shows (the capacity) revises nothing.
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/shifts/{shiftId}", new { capacity = 4 }), HttpStatusCode.OK);
        Assert.Equal(moved.Sequence, (await EntryAsync(url, claimId)).Sequence);

        // A day later: the event and every shift of it move by the same 24 hours.
        await PostAsync(coordinator, $"/api/events/{world.EventId}/reschedule", new { startsAt = Iso(Start(11).AddDays(1)), endsAt = Iso(Start(25).AddDays(1)) });
        var rescheduled = await EntryAsync(url, claimId);
        Assert.True(rescheduled.Sequence > moved.Sequence, $"SEQUENCE {moved.Sequence} → {rescheduled.Sequence} after the event was rescheduled");
        Assert.Equal(Start(14).AddDays(1).AddHours(1).UtcDateTime, rescheduled.DtStart!.AsUtc);

        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/events/{world.EventId}", new { location = new { name = "Bürgerpark", address = "Parkallee 1" } }), HttpStatusCode.OK);
        var relocated = await EntryAsync(url, claimId);
        Assert.True(relocated.Sequence > rescheduled.Sequence, $"SEQUENCE {rescheduled.Sequence} → {relocated.Sequence} after the place changed");
        Assert.Equal("Bürgerpark, Parkallee 1", relocated.Location);
        Assert.Equal($"{claimId}@shifts", relocated.Uid);
    }

    [Fact]
    public async Task Cancelled_shifts_and_events_stay_in_the_feed_as_cancelled_and_given_back_shifts_leave_it()
    {
        var world = await WorldAsync(Chicago);
        var cancelledShift = await ShiftAsync(world, days: 20);
        var givenBack = await ShiftAsync(world, days: 21);
        var otherEvent = await Seed.EventAsync(fixture, world.Org, Start(22).AddHours(-2), Start(22).AddHours(12));
        using var coordinator = fixture.Client(world.CoordinatorToken);
        var inCancelledEvent = await Seed.ShiftAsync(coordinator, otherEvent, Start(22), Start(22).AddHours(2));
        var postponedEvent = await Seed.EventAsync(fixture, world.Org, Start(23).AddHours(-2), Start(23).AddHours(12));
        var inPostponedEvent = await Seed.ShiftAsync(coordinator, postponedEvent, Start(23), Start(23).AddHours(2));
        var claims = new Dictionary<Guid, Guid>();
        foreach (var shift in new[] { cancelledShift, givenBack, inCancelledEvent, inPostponedEvent })
        {
            claims[shift] = await ClaimAsync(world.HelperToken, shift);
        }

        var url = await FeedUrlAsync(world.HelperToken);
        var before = (await FeedAsync(url)).Events.ToDictionary(e => e.Uid!);
        Assert.Equal(4, before.Count);

        await PostAsync(coordinator, $"/api/shifts/{cancelledShift}/cancel", new { reason = "Zu wenige" });
        await PostAsync(coordinator, $"/api/events/{otherEvent}/cancel", new { reason = "Regen" });
        await PostAsync(coordinator, $"/api/events/{postponedEvent}/postpone", new { reason = "Saal" });
        using (var helper = fixture.Client(world.HelperToken))
        {
            using var cancelled = await helper.DeleteAsync($"/api/shifts/{givenBack}/claims/mine");
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        var after = (await FeedAsync(url)).Events.ToDictionary(e => e.Uid!);
        Assert.Equal(3, after.Count);
        foreach (var shift in new[] { cancelledShift, inCancelledEvent })
        {
            var entry = after[$"{claims[shift]}@shifts"];
            Assert.Equal("CANCELLED", entry.Status);
            Assert.True(entry.Sequence > before[entry.Uid!].Sequence, $"SEQUENCE of the cancelled {shift} did not rise");
        }

        Assert.Equal("TENTATIVE", after[$"{claims[inPostponedEvent]}@shifts"].Status);
        Assert.DoesNotContain($"{claims[givenBack]}@shifts", after.Keys);
    }

    [Fact]
    public async Task Rotating_gives_a_new_URL_and_the_old_one_answers_404()
    {
        var world = await WorldAsync(Chicago);
        var claimId = await ClaimAsync(world.HelperToken, await ShiftAsync(world, days: 15));
        var old = await FeedUrlAsync(world.HelperToken);

        using var helper = fixture.Client(world.HelperToken);
        var rotated = (await PostAsync(helper, "/api/me/calendar/rotate")).Text("url");

        Assert.NotEqual(old, rotated);
        Assert.Equal(rotated, await FeedUrlAsync(world.HelperToken));
        Assert.Equal($"{claimId}@shifts", Assert.Single((await FeedAsync(rotated)).Events).Uid);
        using var anonymous = fixture.Client();
        await ExpectProblemAsync(await anonymous.GetAsync(new Uri(old).AbsolutePath), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_feed_shows_its_owners_shifts_whoever_asks_for_it()
    {
        var world = await WorldAsync("Europe/Berlin");
        var (_, otherToken) = await fixture.CreateMemberAsync(world.Org);
        var mine = await ClaimAsync(world.HelperToken, await ShiftAsync(world, days: 16));
        var theirs = await ClaimAsync(otherToken, await ShiftAsync(world, days: 17));
        var theirUrl = await FeedUrlAsync(otherToken);

        // Signed in as the helper, with the other person's URL: the token decides, not the sign-in.
        using var signedIn = fixture.Client(world.HelperToken);
        using var response = await signedIn.GetAsync(new Uri(theirUrl).AbsolutePath);
        var calendar = IcalCalendar.Load(await ExpectTextAsync(response))!;

        Assert.Equal([$"{theirs}@shifts"], calendar.Events.Select(e => e.Uid));
        Assert.DoesNotContain($"{mine}@shifts", (await FeedAsync(theirUrl)).Events.Select(e => e.Uid));
        Assert.NotEqual(theirUrl, await FeedUrlAsync(world.HelperToken));
    }

    [Fact]
    public async Task A_shifts_ics_is_the_entry_the_feed_has_for_the_caller()
    {
        var world = await WorldAsync(Chicago);
        var shiftId = await ShiftAsync(world, days: 18);
        var claimId = await ClaimAsync(world.HelperToken, shiftId);
        using var coordinator = fixture.Client(world.CoordinatorToken);
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/shifts/{shiftId}", new { endsAt = Iso(Start(18).AddHours(3)) }), HttpStatusCode.OK);
        var fromFeed = await EntryAsync(await FeedUrlAsync(world.HelperToken), claimId);

        using var helper = fixture.Client(world.HelperToken);
        using var response = await helper.GetAsync($"/api/shifts/{shiftId}/calendar.ics");
        var calendar = IcalCalendar.Load(await ExpectTextAsync(response))!;
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(Chicago, Assert.Single(calendar.TimeZones).TzId);
        var single = Assert.Single(calendar.Events);
        Assert.Equal(fromFeed.Uid, single.Uid);
        Assert.Equal(fromFeed.Sequence, single.Sequence);
        Assert.True(single.Sequence > 0);
        Assert.Equal(fromFeed.DtEnd!.AsUtc, single.DtEnd!.AsUtc);

        // A member who holds no place gets the shift too, under a UID of their own.
        var (_, memberToken) = await fixture.CreateMemberAsync(world.Org);
        using var member = fixture.Client(memberToken);
        using var unclaimed = await member.GetAsync($"/api/shifts/{shiftId}/calendar.ics");
        var theirs = Assert.Single(IcalCalendar.Load(await ExpectTextAsync(unclaimed))!.Events);
        Assert.NotEqual(single.Uid, theirs.Uid);
        Assert.Equal(single.Sequence, theirs.Sequence);

        // Not for other organisations; drafts only for coordinators; unknown shifts not at all.
        var otherOrg = await fixture.CreateOrganisationAsync();
        using var stranger = fixture.Client((await fixture.CreateMemberAsync(otherOrg)).Token);
        await ExpectProblemAsync(await stranger.GetAsync($"/api/shifts/{shiftId}/calendar.ics"), HttpStatusCode.Forbidden, "forbidden");
        var draft = await Seed.EventAsync(fixture, world.Org, Start(19).AddHours(-2), Start(19).AddHours(12), status: "draft");
        var draftShift = await Seed.ShiftAsync(coordinator, draft, Start(19), Start(19).AddHours(2));
        await ExpectProblemAsync(await helper.GetAsync($"/api/shifts/{draftShift}/calendar.ics"), HttpStatusCode.NotFound, "not-found");
        using (var forCoordinator = await coordinator.GetAsync($"/api/shifts/{draftShift}/calendar.ics"))
        {
            Assert.Equal("TENTATIVE", Assert.Single(IcalCalendar.Load(await ExpectTextAsync(forCoordinator))!.Events).Status);
        }

        await ExpectProblemAsync(await helper.GetAsync($"/api/shifts/{Guid.NewGuid()}/calendar.ics"), HttpStatusCode.NotFound, "not-found");
        using var anonymous = fixture.Client();
        await ExpectProblemAsync(await anonymous.GetAsync($"/api/shifts/{shiftId}/calendar.ics"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    public static TheoryData<string> BadTokens => new()
    {
        "x",
        new string('A', 43),                           // well-formed, but nobody's
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",  // 43 characters whose stray low bits are set
        new string('A', 43) + "=",
        new string('!', 43),
        "%F0%9F%98%80",
        "a%2Fb",
        "%ED%A0%80",
        new string('a', 4000),
        new string('a', 9000),
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Unknown_and_malformed_feed_tokens_are_4xx_problems(string token)
    {
        using var anonymous = fixture.Client();
        using var response = await anonymous.GetAsync($"/api/calendar/{token}.ics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task The_export_says_a_feed_exists_without_its_URL_and_erasure_ends_the_feed()
    {
        var world = await WorldAsync(Chicago);
        var (leaving, leavingToken) = await fixture.CreateMemberAsync(world.Org);
        await ClaimAsync(leavingToken, await ShiftAsync(world, days: 24));
        var url = await FeedUrlAsync(leavingToken);
        var token = new Uri(url).Segments[^1][..^".ics".Length];

        var export = await fixture.Bus.CreateRequestClient<ClaimsExportRequested>().GetResponse<PersonalDataExported>(new ClaimsExportRequested(leaving));
        var feed = JsonDocument.Parse(export.Message.Json).RootElement.GetProperty("calendarFeed");
        Assert.Equal(JsonValueKind.String, feed.GetProperty("createdAt").ValueKind);
        Assert.DoesNotContain(token, export.Message.Json, StringComparison.Ordinal);

        await fixture.PublishAndWaitAsync(new VolunteerErased(leaving));

        using var anonymous = fixture.Client();
        await ExpectProblemAsync(await anonymous.GetAsync(new Uri(url).AbsolutePath), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM calendar_feeds WHERE volunteer_id = @id", leaving));
    }

    // ------------------------------------------------------------------ set-up and reading

    private sealed record World(string Org, Guid EventId, string CoordinatorToken, string HelperToken);

    /// <summary>Day <paramref name="days"/> from now, 10:00 in Chicago (a zone that is not the default).</summary>
    private static DateTimeOffset Start(int days)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Chicago);
        var local = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddDays(days).AddHours(10), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>An organisation in <paramref name="timeZone"/> with a coordinator, a helper and a published event from day 11 to day 25.</summary>
    private async Task<World> WorldAsync(string timeZone)
    {
        var org = await fixture.CreateOrganisationAsync(timeZone);
        var (_, coordinator) = await fixture.CreateMemberAsync(org, "coordinator");
        var (_, helper) = await fixture.CreateMemberAsync(org);
        var eventId = await Seed.EventAsync(fixture, org, Start(11), Start(25));
        return new World(org, eventId, coordinator, helper);
    }

    private async Task<Guid> ShiftAsync(World world, int days)
    {
        using var coordinator = fixture.Client(world.CoordinatorToken);
        return await Seed.ShiftAsync(coordinator, world.EventId, Start(days), Start(days).AddHours(2));
    }

    private async Task<Guid> ClaimAsync(string token, Guid shiftId)
    {
        using var client = fixture.Client(token);
        return (await PostAsync(client, $"/api/shifts/{shiftId}/claims", expected: HttpStatusCode.Created)).Id();
    }

    private async Task<string> FeedUrlAsync(string token)
    {
        using var client = fixture.Client(token);
        using var response = await client.GetAsync("/api/me/calendar");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control: {response.Headers.CacheControl}");
        return (await ExpectAsync(response, HttpStatusCode.OK)).Text("url");
    }

    private async Task<IcalCalendar> FeedAsync(string url)
    {
        using var anonymous = fixture.Client();
        using var response = await anonymous.GetAsync(new Uri(url).AbsolutePath);
        return IcalCalendar.Load(await ExpectTextAsync(response))!;
    }

    private async Task<CalendarEvent> EntryAsync(string url, Guid claimId) =>
        Assert.Single((await FeedAsync(url)).Events, e => e.Uid == $"{claimId}@shifts");

    private static async Task<string> ExpectTextAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        return text;
    }
}
