using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Events.Tests.Attendance;

/// <summary>The check-in list of an event, and checking people in or marking them as no-shows on the day.</summary>
[Collection(nameof(EventsCollection))]
public sealed class AttendanceTests(EventsFixture fixture)
{
    [Fact]
    public async Task Check_in_and_no_show_clear_each_other_and_the_list_shows_them()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (coordinatorId, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(3, 6), Seed.Future(3, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 8), Seed.Future(3, 10), title: "Aufbau");
        var cancelled = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 12), Seed.Future(3, 14), title: "Abbau");
        var (joerg, joergToken) = await fixture.CreateMemberAsync(org);
        var (_, leaverToken) = await fixture.CreateMemberAsync(org);
        await AttendanceKit.NameAsync(fixture, joerg, "Jörg Müller");
        var claimId = await AttendanceKit.ClaimAsync(fixture, joergToken, shiftId);
        await AttendanceKit.ClaimAsync(fixture, leaverToken, shiftId);
        using (var leaver = fixture.Client(leaverToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await leaver.DeleteAsync($"/api/shifts/{shiftId}/claims/mine")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/shifts/{cancelled}/cancel", new { reason = "Zu wenige" })).StatusCode);
        // The day has come: the shift started ten minutes ago.
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddHours(2));

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var checkedIn = await MarkAsync(coordinator, shiftId, claimId, "check-in");
        Assert.Equal(claimId, checkedIn.GetProperty("claimId").GetGuid());
        Assert.Equal(joerg, checkedIn.GetProperty("volunteerId").GetGuid());
        Assert.False(checkedIn.GetProperty("noShow").GetBoolean());
        var at = checkedIn.GetProperty("checkedInAt").GetDateTimeOffset();
        Assert.InRange(at, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(at), at.Offset);
        Assert.Equal(coordinatorId, await CheckedInByAsync(claimId));
        // Checking in again keeps the first time.
        Assert.Equal(at, (await MarkAsync(coordinator, shiftId, claimId, "check-in")).GetProperty("checkedInAt").GetDateTimeOffset());

        var list = await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/attendance");
        Assert.Equal(eventId, list.GetProperty("eventId").GetGuid());
        Assert.Equal("Sommerfest am Weserwehr", list.GetProperty("eventTitle").GetString());
        var shift = Assert.Single(list.GetProperty("shifts").EnumerateArray());
        Assert.Equal(shiftId, shift.GetProperty("shiftId").GetGuid());
        Assert.Equal("Aufbau", shift.GetProperty("title").GetString());
        var claim = Assert.Single(shift.GetProperty("claims").EnumerateArray());
        Assert.Equal(claimId, claim.GetProperty("claimId").GetGuid());
        Assert.Equal(joerg, claim.GetProperty("volunteerId").GetGuid());
        Assert.Equal("Jörg Müller", claim.GetProperty("name").GetString());
        Assert.Equal(at, claim.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.False(claim.GetProperty("noShow").GetBoolean());

        var noShow = await MarkAsync(coordinator, shiftId, claimId, "no-show");
        Assert.True(noShow.GetProperty("noShow").GetBoolean());
        Assert.Equal(JsonValueKind.Null, noShow.GetProperty("checkedInAt").ValueKind);
        Assert.Null(await CheckedInByAsync(claimId));
        var listed = (await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/attendance"))
            .GetProperty("shifts")[0].GetProperty("claims")[0];
        Assert.True(listed.GetProperty("noShow").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("checkedInAt").ValueKind);

        // Came late after all.
        var late = await MarkAsync(coordinator, shiftId, claimId, "check-in");
        Assert.False(late.GetProperty("noShow").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, late.GetProperty("checkedInAt").ValueKind);
    }

    [Theory]
    [InlineData(61, 120)]      // starts in 61 minutes: too early
    [InlineData(-120, -1)]     // ended a minute ago: too late
    public async Task Outside_an_hour_before_the_start_to_the_end_it_is_409_outside_shift_time(int startsInMinutes, int endsInMinutes)
    {
        var (coordinator, shiftId, claimId) = await ClaimedShiftAsync();
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(startsInMinutes), DateTimeOffset.UtcNow.AddMinutes(endsInMinutes));

        foreach (var action in new[] { "check-in", "no-show" })
        {
            using var response = await coordinator.PostAsync($"/api/shifts/{shiftId}/claims/{claimId}/{action}", null);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("outside-shift-time", await AttendanceKit.CodeAsync(response));
        }

        coordinator.Dispose();
    }

    [Fact]
    public async Task Fifty_nine_minutes_before_the_start_a_person_can_be_checked_in()
    {
        var (coordinator, shiftId, claimId) = await ClaimedShiftAsync();
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(120));

        Assert.False((await MarkAsync(coordinator, shiftId, claimId, "check-in")).GetProperty("noShow").GetBoolean());
        coordinator.Dispose();
    }

    [Fact]
    public async Task Only_the_organisations_coordinators_mark_attendance_and_only_confirmed_claims_of_that_shift()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        using var admin = fixture.Client((await fixture.CreateMemberAsync(org, "admin")).Token);
        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(helperToken);
        using var foreignCoordinator = fixture.Client((await fixture.CreateMemberAsync(other, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 6), Seed.Future(4, 22));
        var draft = await Seed.EventAsync(fixture, org, Seed.Future(4, 6), Seed.Future(4, 22), status: "draft");
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 8), Seed.Future(4, 10));
        var otherShift = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 12), Seed.Future(4, 14));
        var draftShift = await Seed.ShiftAsync(coordinator, draft, Seed.Future(4, 8), Seed.Future(4, 10));
        var claimId = await AttendanceKit.ClaimAsync(fixture, helperToken, shiftId);
        var (_, leaverToken) = await fixture.CreateMemberAsync(org);
        var cancelledClaim = await AttendanceKit.ClaimAsync(fixture, leaverToken, shiftId);
        using (var leaver = fixture.Client(leaverToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await leaver.DeleteAsync($"/api/shifts/{shiftId}/claims/mine")).StatusCode);
        }

        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await AttendanceKit.MoveShiftAsync(fixture, otherShift, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        await ExpectAsync(helper, HttpMethod.Post, $"/api/shifts/{shiftId}/claims/{claimId}/check-in", HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(helper, HttpMethod.Post, $"/api/shifts/{shiftId}/claims/{claimId}/no-show", HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(foreignCoordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/claims/{claimId}/check-in", HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(helper, HttpMethod.Get, $"/api/events/{eventId}/attendance", HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(foreignCoordinator, HttpMethod.Get, $"/api/events/{eventId}/attendance", HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(helper, HttpMethod.Get, $"/api/events/{draft}/attendance", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(helper, HttpMethod.Post, $"/api/shifts/{draftShift}/claims/{claimId}/check-in", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(coordinator, HttpMethod.Get, $"/api/events/{Guid.NewGuid()}/attendance", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(coordinator, HttpMethod.Post, $"/api/shifts/{Guid.NewGuid()}/claims/{claimId}/check-in", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/claims/{Guid.NewGuid()}/check-in", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(coordinator, HttpMethod.Post, $"/api/shifts/{otherShift}/claims/{claimId}/check-in", HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/claims/{cancelledClaim}/no-show", HttpStatusCode.NotFound, "not-found");
        using var anonymous = fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/shifts/{shiftId}/claims/{claimId}/check-in", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/events/{eventId}/attendance")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/events/{eventId}/attendance")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/api/events/{draft}/attendance")).StatusCode);
        Assert.True((await MarkAsync(admin, shiftId, claimId, "no-show")).GetProperty("noShow").GetBoolean());
    }

    private async Task<(HttpClient Coordinator, Guid ShiftId, Guid ClaimId)> ClaimedShiftAsync()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 6), Seed.Future(4, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 8), Seed.Future(4, 10));
        var claimId = await AttendanceKit.ClaimAsync(fixture, (await fixture.CreateMemberAsync(org)).Token, shiftId);
        return (coordinator, shiftId, claimId);
    }

    private static async Task<JsonElement> MarkAsync(HttpClient client, Guid shiftId, Guid claimId, string action)
    {
        using var response = await client.PostAsync($"/api/shifts/{shiftId}/claims/{claimId}/{action}", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<Guid?> CheckedInByAsync(Guid claimId)
    {
        await using var command = fixture.Db.CreateCommand("SELECT checked_in_by FROM claims WHERE id = @id");
        command.Parameters.AddWithValue("id", claimId);
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }

    private static async Task ExpectAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, await AttendanceKit.CodeAsync(response));
    }
}
