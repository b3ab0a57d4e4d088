using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Events.Tests.Plans;

/// <summary>GET /api/events/{id}/plan: the coordinators' plan of an event, as JSON and as a CSV file.</summary>
[Collection(nameof(EventsCollection))]
public sealed class PlanTests(EventsFixture fixture)
{
    [Fact]
    public async Task The_plan_lists_open_shifts_with_their_confirmed_people_in_local_time()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(6, 8), Seed.Future(6, 20));
        var early = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(6, 8), Seed.Future(6, 10), capacity: 3, minimum: 1, title: "Aufbau");
        var late = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(6, 12), Seed.Future(6, 14), capacity: 2, title: "Ausschank");
        var dropped = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(6, 15), Seed.Future(6, 16), title: "Abbau");
        var (joerg, joergToken) = await fixture.CreateMemberAsync(org);
        var (leaver, leaverToken) = await fixture.CreateMemberAsync(org);
        await NameAsync(joerg, "Jörg Müller");
        await ClaimAsync(joergToken, early);
        await ClaimAsync(leaverToken, early);
        using (var gone = fixture.Client(leaverToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await gone.DeleteAsync($"/api/shifts/{early}/claims/mine")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/shifts/{dropped}/cancel", new { reason = "Zu wenige" })).StatusCode);

        var plan = await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/plan");

        var theEvent = plan.GetProperty("event");
        Assert.Equal(eventId, theEvent.GetProperty("id").GetGuid());
        Assert.Equal("Sommerfest am Weserwehr", theEvent.GetProperty("title").GetString());
        Assert.Equal("Weserwehr", theEvent.GetProperty("locationName").GetString());
        Assert.Equal("Am Weserwehr 1, Bremen", theEvent.GetProperty("locationAddress").GetString());
        Assert.Equal("published", theEvent.GetProperty("status").GetString());
        Assert.Equal(Seed.Future(6, 8), theEvent.GetProperty("startsAt").GetDateTimeOffset());
        var shifts = plan.GetProperty("shifts").EnumerateArray().ToList();
        Assert.Equal([early, late], shifts.Select(s => s.GetProperty("id").GetGuid()));
        var first = shifts[0];
        Assert.Equal("Aufbau", first.GetProperty("title").GetString());
        Assert.Equal(3, first.GetProperty("capacity").GetInt32());
        Assert.Equal(1, first.GetProperty("minimum").GetInt32());
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(Seed.Future(6, 8));
        Assert.Equal(berlin, first.GetProperty("startsAt").GetDateTimeOffset().Offset);
        Assert.Equal(Seed.Future(6, 10), first.GetProperty("endsAt").GetDateTimeOffset());
        var people = first.GetProperty("people").EnumerateArray().ToList();
        var person = Assert.Single(people);
        Assert.Equal(joerg, person.GetProperty("volunteerId").GetGuid());
        Assert.Equal("Jörg Müller", person.GetProperty("name").GetString());
        Assert.Empty(shifts[1].GetProperty("people").EnumerateArray());
        Assert.DoesNotContain(leaver.ToString(), plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task As_csv_the_plan_is_one_row_per_person_per_shift_with_a_bom_and_umlauts()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(7, 8), Seed.Future(7, 20));
        var early = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(7, 8), Seed.Future(7, 10), title: "Aufbau, Bühne \"Nord\"");
        var late = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(7, 12), Seed.Future(7, 14), title: "Ausschank");
        var (joerg, joergToken) = await fixture.CreateMemberAsync(org);
        var (anna, annaToken) = await fixture.CreateMemberAsync(org);
        await NameAsync(joerg, "Jörg Müller");
        await NameAsync(anna, "Anna Ölgård");
        await ClaimAsync(joergToken, early);
        await ClaimAsync(annaToken, early);
        await ClaimAsync(annaToken, late);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events/{eventId}/plan");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await coordinator.SendAsync(request);
        var rows = await CsvReading.ReadAsync(response, $"plan-{eventId}.csv");

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
        [
            ["shift", "start", "end", "name"],
            ["Aufbau, Bühne \"Nord\"", Local(Seed.Future(7, 8)), Local(Seed.Future(7, 10)), "Anna Ölgård"],
            ["Aufbau, Bühne \"Nord\"", Local(Seed.Future(7, 8)), Local(Seed.Future(7, 10)), "Jörg Müller"],
            ["Ausschank", Local(Seed.Future(7, 12)), Local(Seed.Future(7, 14)), "Anna Ölgård"],
        ], rows);
    }

    [Fact]
    public async Task Only_the_organisations_coordinators_see_a_plan_and_drafts_stay_hidden()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        using var admin = fixture.Client((await fixture.CreateMemberAsync(org, "admin")).Token);
        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        using var foreignCoordinator = fixture.Client((await fixture.CreateMemberAsync(other, "coordinator")).Token);
        var published = await Seed.EventAsync(fixture, org, Seed.Future(8), Seed.Future(8, 20));
        var draft = await Seed.EventAsync(fixture, org, Seed.Future(8), Seed.Future(8, 20), status: "draft");

        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/api/events/{published}/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/events/{published}/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/api/events/{draft}/plan")).StatusCode);
        await ExpectProblemAsync(helper, $"/api/events/{published}/plan", HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(foreignCoordinator, $"/api/events/{published}/plan", HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(helper, $"/api/events/{draft}/plan", HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(foreignCoordinator, $"/api/events/{draft}/plan", HttpStatusCode.NotFound, "not-found");
        await ExpectProblemAsync(coordinator, $"/api/events/{Guid.NewGuid()}/plan", HttpStatusCode.NotFound, "not-found");
        using var anonymous = fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/events/{published}/plan")).StatusCode);
    }

    private async Task ClaimAsync(string token, Guid shiftId)
    {
        using var client = fixture.Client(token);
        using var response = await client.PostAsync($"/api/shifts/{shiftId}/claims", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task NameAsync(Guid volunteerId, string name)
    {
        await using var command = fixture.Db.CreateCommand("UPDATE volunteers SET display_name = @name WHERE id = @id");
        command.Parameters.AddWithValue("id", volunteerId);
        command.Parameters.AddWithValue("name", name);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task ExpectProblemAsync(HttpClient client, string path, HttpStatusCode status, string code)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
