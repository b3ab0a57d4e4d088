using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shifts.Events.Tests.Claims;

/// <summary>Shifts: creating, changing, reading, listing — and refusing bad input with problem details, never a 500.</summary>
[Collection(nameof(EventsCollection))]
public sealed class ShiftEndpointTests(EventsFixture fixture)
{
    [Theory]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": ", "body")]
    [InlineData("{\"title\": 5, \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 2}", "title")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 2}", "startsAt")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T12:00:00+02:00\", \"endsAt\": \"2030-06-13T10:00:00+02:00\", \"capacity\": 2}", "endsAt")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 0}", "capacity")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": -3}", "capacity")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 99999999999}", "capacity")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 2000000}", "capacity")]
    [InlineData("{\"title\": \"Aufbau\", \"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 2, \"minimum\": 3}", "minimum")]
    [InlineData("{\"startsAt\": \"2030-06-13T10:00:00+02:00\", \"endsAt\": \"2030-06-13T12:00:00+02:00\", \"capacity\": 2}", "title")]
    public async Task Bad_shift_bodies_are_400_validation_naming_the_field(string body, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22));

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await coordinator.PostAsync($"/api/events/{eventId}/shifts", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names '{field}': {problem}");
    }

    [Fact]
    public async Task An_over_long_title_is_400_and_an_unknown_event_is_404()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22));
        var shift = new { title = new string('x', 201), startsAt = "2030-06-13T10:00:00+02:00", endsAt = "2030-06-13T12:00:00+02:00", capacity = 2 };

        using var tooLong = await coordinator.PostAsJsonAsync($"/api/events/{eventId}/shifts", shift);
        using var unknown = await coordinator.PostAsJsonAsync($"/api/events/{Guid.NewGuid()}/shifts", shift with { title = "Aufbau" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Helpers_cannot_add_shifts()
    {
        var org = await fixture.CreateOrganisationAsync();
        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22));

        using var response = await helper.PostAsJsonAsync($"/api/events/{eventId}/shifts",
            new { title = "Aufbau", startsAt = "2030-06-13T10:00:00+02:00", endsAt = "2030-06-13T12:00:00+02:00", capacity = 2 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Capacity_cannot_be_lowered_below_the_confirmed_claims()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12), capacity: 3);
        for (var i = 0; i < 2; i++)
        {
            using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
            Assert.Equal(HttpStatusCode.Created, (await helper.PostAsync($"/api/shifts/{shiftId}/claims", null)).StatusCode);
        }

        using var tooLow = await coordinator.PatchAsJsonAsync($"/api/shifts/{shiftId}", new { capacity = 1 });
        using var fine = await coordinator.PatchAsJsonAsync($"/api/shifts/{shiftId}", new { capacity = 2 });

        Assert.Equal(HttpStatusCode.Conflict, tooLow.StatusCode);
        Assert.Equal("capacity-below-confirmed", (await tooLow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal(2, (await fine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task The_open_shift_list_pages_by_cursor_filters_and_answers_in_local_time()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(20), Seed.Future(21), kind: "info-stand");
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await Seed.ShiftAsync(coordinator, eventId, Seed.Future(20, 8).AddMinutes(10 * i), Seed.Future(20, 9).AddMinutes(10 * i),
                capacity: 1, newcomerFriendly: i % 2 == 0));
        }

        // One of them is full and drops out of the open list.
        using (var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token))
        {
            Assert.Equal(HttpStatusCode.Created, (await helper.PostAsync($"/api/shifts/{created[3]}/claims", null)).StatusCode);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await coordinator.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/shifts?open=true&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(created.Where((_, i) => i != 3), seen);
        Assert.Equal(3, pages);

        var newcomer = await coordinator.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/shifts?newcomerFriendly=true&kind=info-stand");
        var items = newcomer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.True(i.GetProperty("newcomerFriendly").GetBoolean()));
        Assert.All(items, i => Assert.Equal("info-stand", i.GetProperty("kind").GetString()));
        // Answers carry the organisation's offset (Berlin is +01:00 or +02:00), never a bare time.
        Assert.Matches(@"\+0[12]:00$", items[0].GetProperty("startsAt").GetString());

        using var badCursor = await coordinator.GetAsync($"/api/orgs/{org}/shifts?cursor=garbage");
        using var badFrom = await coordinator.GetAsync($"/api/orgs/{org}/shifts?from=2030-06-13T10:00:00");
        using var badLimit = await coordinator.GetAsync($"/api/orgs/{org}/shifts?limit=100000");
        Assert.All(new[] { badCursor, badFrom, badLimit }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task A_shift_shows_its_staffing_and_the_names_of_its_claimants()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12), capacity: 4, minimum: 2);
        var (helperId, helperToken) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(helperToken);
        Assert.Equal(HttpStatusCode.Created, (await helper.PostAsync($"/api/shifts/{shiftId}/claims", null)).StatusCode);

        var shift = await helper.GetFromJsonAsync<JsonElement>($"/api/shifts/{shiftId}");

        Assert.Equal(4, shift.GetProperty("capacity").GetInt32());
        Assert.Equal(2, shift.GetProperty("minimum").GetInt32());
        Assert.Equal(1, shift.GetProperty("confirmed").GetInt32());
        var claimant = Assert.Single(shift.GetProperty("claimants").EnumerateArray());
        Assert.Equal(helperId, claimant.GetProperty("volunteerId").GetGuid());
        Assert.StartsWith("Volunteer ", claimant.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.False(claimant.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task A_night_shift_across_the_end_of_summer_time_keeps_its_true_duration()
    {
        // Berlin leaves summer time on 2026-10-25 at 03:00 (+02:00 -> +01:00): 22:00 to 03:00 local is six hours, not five.
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, DateTimeOffset.Parse("2026-10-24T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-10-25T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture), kind: "awareness");

        using var created = await coordinator.PostAsJsonAsync($"/api/events/{eventId}/shifts",
            new { title = "Awareness-Team", startsAt = "2026-10-24T22:00:00+02:00", endsAt = "2026-10-25T03:00:00+01:00", capacity = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var shift = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("2026-10-24T22:00:00+02:00", shift.GetProperty("startsAt").GetString());
        Assert.Equal("2026-10-25T03:00:00+01:00", shift.GetProperty("endsAt").GetString());
        var id = shift.GetProperty("id").GetGuid();
        await using var duration = fixture.Db.CreateCommand("SELECT ends_at - starts_at FROM shifts WHERE id = @id");
        duration.Parameters.AddWithValue("id", id);
        Assert.Equal(TimeSpan.FromHours(6), (TimeSpan)(await duration.ExecuteScalarAsync())!);
    }
}
