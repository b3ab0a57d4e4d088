using System.Net;
using System.Net.Http.Json;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>A shift lies within its event's time (give or take 12 hours) and requires only a qualification its organisation has, however it is added or changed; a cancelled event's shifts read cancelled.</summary>
[Collection(nameof(EventsCollection))]
public sealed class EventShiftRulesTests(EventsFixture fixture)
{
    [Fact]
    public async Task A_shift_outside_its_events_time_is_refused_when_added_and_when_moved()
    {
        var (_, coordinator, festival, start) = await FestivalAsync(71);
        using var _ = coordinator;
        var path = $"/api/events/{festival.Id()}/shifts";

        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, Shift(start.AddHours(-13), start.AddHours(-11))), HttpStatusCode.BadRequest, "validation", "startsAt");
        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, Shift(start.AddHours(15), start.AddHours(17))), HttpStatusCode.BadRequest, "validation", "endsAt");
        // Set-up the evening before and tear-down after are within the margin.
        var setUp = await ExpectAsync(await coordinator.PostAsJsonAsync(path, Shift(start.AddHours(-10), start.AddHours(-8), "Aufbau")), HttpStatusCode.Created);

        var shiftPath = $"/api/shifts/{setUp.Id()}";
        await ExpectProblemAsync(await coordinator.PatchAsJsonAsync(shiftPath, new { startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)) }),
            HttpStatusCode.BadRequest, "validation", "endsAt");
        await ExpectProblemAsync(await coordinator.PatchAsJsonAsync(shiftPath, new { startsAt = Iso(start.AddHours(-14)) }), HttpStatusCode.BadRequest, "validation", "startsAt");
        Assert.Equal(Iso(start.AddHours(-10)), (await GetAsync(coordinator, shiftPath)).Text("startsAt"));

        // A change that leaves the times alone is not held to them.
        var changed = await ExpectAsync(await coordinator.PatchAsJsonAsync(shiftPath, new { capacity = 4 }), HttpStatusCode.OK);
        Assert.Equal(4, changed.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task A_shift_may_require_only_a_qualification_the_organisation_has()
    {
        var (org, coordinator, festival, start) = await FestivalAsync(73);
        using var _ = coordinator;
        var path = $"/api/events/{festival.Id()}/shifts";
        object Needing(string code) => new { title = "Sanitätsdienst", startsAt = Iso(start), endsAt = Iso(start.AddHours(2)), capacity = 2, requiredQualification = code };

        await ExpectProblemAsync(await coordinator.PostAsJsonAsync(path, Needing("first-aid")), HttpStatusCode.BadRequest, "validation", "requiredQualification");
        // Announced by the volunteers service, or held by a member: the organisation has it.
        await fixture.AddQualificationAsync(org, "first-aid");
        var medics = await ExpectAsync(await coordinator.PostAsJsonAsync(path, Needing("first-aid")), HttpStatusCode.Created);
        await fixture.CreateMemberAsync(org, "helper", "awareness");
        await ExpectAsync(await coordinator.PostAsJsonAsync(path, Needing("awareness")), HttpStatusCode.Created);

        await ExpectProblemAsync(await coordinator.PatchAsJsonAsync($"/api/shifts/{medics.Id()}", new { requiredQualification = "forklift" }),
            HttpStatusCode.BadRequest, "validation", "requiredQualification");
        Assert.Equal("first-aid", (await GetAsync(coordinator, $"/api/shifts/{medics.Id()}")).Text("requiredQualification"));
        var cleared = await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/shifts/{medics.Id()}", new { requiredQualification = "" }), HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("requiredQualification").ValueKind);

        // Another organisation's qualification is not this one's, and a new event's shift pattern is held to the same rule.
        var other = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationAsync(other, "forklift");
        using var refused = await coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Lager",
            kind = "distribution",
            location = new { name = "Halle" },
            startsAt = Iso(start.AddDays(1)),
            endsAt = Iso(start.AddDays(1).AddHours(4)),
            shifts = new object[] { Shift(start.AddDays(1), start.AddDays(1).AddHours(2)), new { title = "Stapler", startsAt = Iso(start.AddDays(1)), endsAt = Iso(start.AddDays(1).AddHours(2)), capacity = 1, requiredQualification = "forklift" } },
        });
        await ExpectProblemAsync(refused, HttpStatusCode.BadRequest, "validation", "shifts[1].requiredQualification");
    }

    [Fact]
    public async Task A_cancelled_events_shifts_read_cancelled_in_the_shift_and_in_the_event()
    {
        var (org, coordinator, festival, _) = await FestivalAsync(72);
        using var _ = coordinator;
        var shiftId = festival.ShiftIds()[0];
        using var member = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        Assert.Equal("open", (await GetAsync(member, $"/api/shifts/{shiftId}")).Text("status"));

        await PostAsync(coordinator, $"/api/events/{festival.Id()}/cancel", new { reason = "Sturm" });

        var shift = await GetAsync(member, $"/api/shifts/{shiftId}");
        Assert.Equal(("cancelled", "cancelled"), (shift.Text("status"), shift.Text("eventStatus")));
        Assert.All((await GetAsync(member, $"/api/events/{festival.Id()}")).GetProperty("shifts").EnumerateArray(), s => Assert.Equal("cancelled", s.Text("status")));
    }

    private async Task<(string Org, HttpClient Coordinator, System.Text.Json.JsonElement Festival, DateTimeOffset Start)> FestivalAsync(int days)
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        var coordinator = fixture.Client(token);
        var start = BerlinFuture(days, 12);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(4), "Sommerfest", "festival", [Shift(start, start.AddHours(4))]));
        return (org, coordinator, await PostAsync(coordinator, $"/api/events/{created.Id()}/publish"), start);
    }
}
