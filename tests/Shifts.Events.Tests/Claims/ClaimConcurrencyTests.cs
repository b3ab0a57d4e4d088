using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Events.Tests.Events;

namespace Shifts.Events.Tests.Claims;

/// <summary>The invariants every other volunteer tool breaks under concurrent sign-ups, proven against real PostgreSQL.</summary>
[Collection(nameof(EventsCollection))]
public sealed class ClaimConcurrencyTests(EventsFixture fixture)
{
    [Fact]
    public async Task Three_hundred_volunteers_claiming_one_shift_of_ten_at_once_confirm_exactly_ten()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(10), Seed.Future(10, 20));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(10, 12), Seed.Future(10, 16), capacity: 10);

        // The replica holds the memberships (the service authorises from it, not from the token);
        // the claim needs no name or qualification row for a shift without a qualification.
        var volunteers = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        await fixture.GrantAsync(org, "helper", [.. volunteers]);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 300 };
        using var http = new HttpClient(handler) { BaseAddress = fixture.Address };
        using var start = new SemaphoreSlim(0);
        var attempts = volunteers.Select(async id =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/shifts/{shiftId}/claims");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint(id, "Helper", [(org, "helper")]));
            await start.WaitAsync();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, Code: body.TryGetProperty("code", out var code) ? code.GetString() : null);
        }).ToList();
        start.Release(volunteers.Count);
        var results = await Task.WhenAll(attempts);

        Assert.Equal(10, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(290, results.Count(r => r.StatusCode == HttpStatusCode.Conflict && r.Code == "shift-full"));
        Assert.Equal(10, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(10, await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE shift_id = @id AND status = 'confirmed'", shiftId));

        // Each confirmed claim reached RabbitMQ as exactly one ShiftClaimed.
        var claimed = await EventTestKit.ReceivedSettledAsync<global::Shifts.Contracts.ShiftClaimed>(fixture, m => m.Shift.ShiftId == shiftId, 10);
        Assert.Equal(10, claimed.Count);
        Assert.Equal(10, claimed.Select(c => c.MessageId).Distinct().Count());
        Assert.Equal(10, claimed.Select(c => c.Message.VolunteerId).Distinct().Count());
    }

    [Fact]
    public async Task One_volunteer_claiming_twenty_overlapping_shifts_at_once_holds_exactly_one()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(11), Seed.Future(11, 23));
        var shifts = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            // Each overlaps every other: all contain 12:00-13:00.
            shifts.Add(await Seed.ShiftAsync(coordinator, eventId, Seed.Future(11, 12).AddMinutes(-i), Seed.Future(11, 13).AddMinutes(i), capacity: 5));
        }

        var (volunteerId, token) = await fixture.CreateMemberAsync(org);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 20 };
        using var http = new HttpClient(handler) { BaseAddress = fixture.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var start = new SemaphoreSlim(0);
        var attempts = shifts.Select(async shiftId =>
        {
            await start.WaitAsync();
            using var response = await http.PostAsync($"/api/shifts/{shiftId}/claims", null);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, Code: body.TryGetProperty("code", out var code) ? code.GetString() : null);
        }).ToList();
        start.Release(shifts.Count);
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, results.Count(r => r.Code == "overlapping-claim"));
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE volunteer_id = @id AND status = 'confirmed'", volunteerId));
        await using var total = fixture.Db.CreateCommand("SELECT sum(confirmed) FROM shifts WHERE event_id = @id");
        total.Parameters.AddWithValue("id", eventId);
        Assert.Equal(1L, Convert.ToInt64(await total.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Two_cancellations_racing_promote_the_first_two_waiting_each_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(12), Seed.Future(12, 20));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(12, 12), Seed.Future(12, 14), capacity: 2);

        var holders = new[] { await fixture.CreateMemberAsync(org), await fixture.CreateMemberAsync(org) };
        foreach (var (_, token) in holders)
        {
            using var client = fixture.Client(token);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/shifts/{shiftId}/claims", null)).StatusCode);
        }

        var waiting = new List<(Guid Id, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            var member = await fixture.CreateMemberAsync(org);
            waiting.Add(member);
            using var client = fixture.Client(member.Token);
            using var response = await client.PostAsync($"/api/shifts/{shiftId}/waitlist", null);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(i + 1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("position").GetInt32());
        }

        // Both holders give their places back at the same moment.
        var cancels = holders.Select(async h =>
        {
            using var client = fixture.Client(h.Token);
            return (await client.DeleteAsync($"/api/shifts/{shiftId}/claims/mine")).StatusCode;
        });
        Assert.All(await Task.WhenAll(cancels), status => Assert.Equal(HttpStatusCode.NoContent, status));

        Assert.Equal(2, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT waitlisted FROM shifts WHERE id = @id", shiftId));
        foreach (var (promoted, index) in waiting.Select((w, i) => (w, i)))
        {
            var holds = await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE volunteer_id = @id AND status = 'confirmed'", promoted.Id);
            Assert.Equal(index < 2 ? 1 : 0, holds);
        }

        var promotions = await EventTestKit.ReceivedSettledAsync<global::Shifts.Contracts.WaitlistPromoted>(fixture, m => m.Shift.ShiftId == shiftId, 2);
        Assert.Equal(new[] { waiting[0].Id, waiting[1].Id }.Order(), promotions.Select(p => p.Message.VolunteerId).Order());

        // The third is now first in line.
        using var third = fixture.Client(waiting[2].Token);
        var mine = await third.GetFromJsonAsync<JsonElement>("/api/me/shifts");
        Assert.Equal(1, mine.GetProperty("waitlist")[0].GetProperty("position").GetInt32());
    }
}
