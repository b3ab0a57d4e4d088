using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Events.Tests.Attendance;

/// <summary>Self check-in: the event's code for coordinators and leads, and "I'm here" within the shift's time.</summary>
[Collection(nameof(EventsCollection))]
public sealed class SelfCheckInTests(EventsFixture fixture)
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<(string Org, HttpClient Coordinator, Guid EventId, Guid ShiftId)> EventAsync()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 6), Seed.Future(4, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 8), Seed.Future(4, 10), title: "Einlass");
        return (org, coordinator, eventId, shiftId);
    }

    [Fact]
    public async Task The_code_is_stable_per_event_its_url_is_the_here_page_and_I_am_here_checks_in_the_shift_on_now()
    {
        var (org, coordinator, eventId, shiftId) = await EventAsync();
        var (helper, helperToken) = await fixture.CreateMemberAsync(org);
        var claimId = await AttendanceKit.ClaimAsync(fixture, helperToken, shiftId);
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(45), DateTimeOffset.UtcNow.AddHours(3));
        using var client = fixture.Client(helperToken);

        var (status, code) = await SendAsync(coordinator, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");
        var (_, again) = await SendAsync(coordinator, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");
        var (otherEvent, otherCode) = await SendAsync(coordinator, HttpMethod.Get, $"/api/events/{await Seed.EventAsync(fixture, org, Seed.Future(5, 6), Seed.Future(5, 22))}/check-in-code");

        Assert.Equal(HttpStatusCode.OK, status);
        var text = code.GetProperty("code").GetString()!;
        Assert.Equal(22, text.Length);
        Assert.Equal(text, again.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, otherEvent);
        Assert.NotEqual(text, otherCode.GetProperty("code").GetString());
        Assert.EndsWith($"/events/{eventId}/here?code={Uri.EscapeDataString(text)}", code.GetProperty("url").GetString(), StringComparison.Ordinal);

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var (here, mark) = await SendAsync(client, HttpMethod.Post, $"/api/events/{eventId}/here", new { code = text });
        var (twice, second) = await SendAsync(client, HttpMethod.Post, $"/api/events/{eventId}/here", new { code = text });

        Assert.Equal(HttpStatusCode.OK, here);
        Assert.Equal(claimId, mark.GetProperty("claimId").GetGuid());
        Assert.Equal(helper, mark.GetProperty("volunteerId").GetGuid());
        Assert.False(mark.GetProperty("noShow").GetBoolean());
        var at = mark.GetProperty("checkedInAt").GetDateTimeOffset();
        Assert.InRange(at, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(at), at.Offset);
        Assert.Equal(HttpStatusCode.OK, twice);
        Assert.Equal(at, second.GetProperty("checkedInAt").GetDateTimeOffset());
        var list = await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/attendance");
        Assert.Equal(at, list.GetProperty("shifts")[0].GetProperty("claims")[0].GetProperty("checkedInAt").GetDateTimeOffset());
        coordinator.Dispose();
    }

    [Theory]
    [InlineData(61, 120)]      // starts in 61 minutes: too early
    [InlineData(-120, -1)]     // ended a minute ago: too late
    public async Task Outside_the_shifts_time_or_without_a_claim_it_is_409_no_shift_now(int startsInMinutes, int endsInMinutes)
    {
        var (org, coordinator, eventId, shiftId) = await EventAsync();
        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        var (_, idleToken) = await fixture.CreateMemberAsync(org);
        await AttendanceKit.ClaimAsync(fixture, helperToken, shiftId);
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(startsInMinutes), DateTimeOffset.UtcNow.AddMinutes(endsInMinutes));
        var code = (await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/check-in-code")).GetProperty("code").GetString();
        using var helper = fixture.Client(helperToken);
        using var idle = fixture.Client(idleToken);

        var (late, problem) = await SendAsync(helper, HttpMethod.Post, $"/api/events/{eventId}/here", new { code });
        var (none, noneProblem) = await SendAsync(idle, HttpMethod.Post, $"/api/events/{eventId}/here", new { code });

        Assert.Equal((HttpStatusCode.Conflict, "no-shift-now"), (late, problem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Conflict, "no-shift-now"), (none, noneProblem.GetProperty("code").GetString()));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE shift_id = @id AND checked_in_at IS NOT NULL", shiftId));
        coordinator.Dispose();
    }

    [Fact]
    public async Task A_wrong_code_is_403_no_code_400_and_only_coordinators_and_leads_get_the_code()
    {
        var (org, coordinator, eventId, shiftId) = await EventAsync();
        var (leadId, leadToken) = await fixture.CreateMemberAsync(org);
        var (_, helperToken) = await fixture.CreateMemberAsync(org);
        await AttendanceKit.ClaimAsync(fixture, helperToken, shiftId);
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var otherEvent = await Seed.EventAsync(fixture, org, Seed.Future(5, 6), Seed.Future(5, 22));
        var draft = await Seed.EventAsync(fixture, org, Seed.Future(5, 6), Seed.Future(5, 22), status: "draft");
        var foreignCode = (await coordinator.GetFromJsonAsync<JsonElement>($"/api/events/{otherEvent}/check-in-code")).GetProperty("code").GetString();
        using var helper = fixture.Client(helperToken);
        using var lead = fixture.Client(leadToken);
        using var anonymous = fixture.Client();

        var (wrong, wrongProblem) = await SendAsync(helper, HttpMethod.Post, $"/api/events/{eventId}/here", new { code = foreignCode });
        var (garbage, _) = await SendAsync(helper, HttpMethod.Post, $"/api/events/{eventId}/here", new { code = new string('x', 5000) });
        var (missing, missingProblem) = await SendAsync(helper, HttpMethod.Post, $"/api/events/{eventId}/here", new { });
        var (unknown, _) = await SendAsync(helper, HttpMethod.Post, $"/api/events/{Guid.NewGuid()}/here", new { code = foreignCode });
        var (hidden, _) = await SendAsync(helper, HttpMethod.Get, $"/api/events/{draft}/check-in-code");
        var (refused, refusedProblem) = await SendAsync(helper, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");
        var (notYetLead, _) = await SendAsync(lead, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(coordinator, HttpMethod.Put, $"/api/shifts/{shiftId}/lead", new { volunteerId = leadId })).Status);
        var (asLead, leadCode) = await SendAsync(lead, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");
        var (signedOut, _) = await SendAsync(anonymous, HttpMethod.Get, $"/api/events/{eventId}/check-in-code");

        Assert.Equal((HttpStatusCode.Forbidden, "check-in-code-invalid"), (wrong, wrongProblem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, garbage);
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), (missing, missingProblem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.NotFound, hidden);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (refused, refusedProblem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, notYetLead);
        Assert.Equal(HttpStatusCode.OK, asLead);
        Assert.False(string.IsNullOrEmpty(leadCode.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE shift_id = @id AND checked_in_at IS NOT NULL", shiftId));
        coordinator.Dispose();
    }
}
