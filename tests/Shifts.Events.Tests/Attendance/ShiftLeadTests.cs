using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Events.Tests.Attendance;

/// <summary>Shift leads: named and taken back by coordinators, running the check-in of their event.</summary>
[Collection(nameof(EventsCollection))]
public sealed class ShiftLeadTests(EventsFixture fixture)
{
    private sealed record World(string Org, HttpClient Coordinator, Guid EventId, Guid ShiftId, Guid OtherShiftId, Guid LeadId, string LeadToken, Guid ClaimId) : IDisposable
    {
        public void Dispose() => Coordinator.Dispose();
    }

    /// <summary>An event on today with two running shifts; a member (to be lead) claims the first, a helper the second.</summary>
    private async Task<World> WorldAsync()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 6), Seed.Future(4, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 8), Seed.Future(4, 10), title: "Einlass");
        var otherShift = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 12), Seed.Future(4, 14), title: "Bar");
        var (leadId, leadToken) = await fixture.CreateMemberAsync(org);
        await AttendanceKit.NameAsync(fixture, leadId, "Lea Leitung");
        await AttendanceKit.ClaimAsync(fixture, leadToken, shiftId);
        var claimId = await AttendanceKit.ClaimAsync(fixture, (await fixture.CreateMemberAsync(org)).Token, otherShift);
        await AttendanceKit.MoveShiftAsync(fixture, shiftId, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddMinutes(30));
        await AttendanceKit.MoveShiftAsync(fixture, otherShift, DateTimeOffset.UtcNow.AddMinutes(40), DateTimeOffset.UtcNow.AddHours(2));
        return new World(org, coordinator, eventId, shiftId, otherShift, leadId, leadToken, claimId);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_named_lead_checks_in_the_people_of_any_shift_of_the_event_and_reads_the_list_which_names_them()
    {
        using var world = await WorldAsync();
        using var lead = fixture.Client(world.LeadToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(lead, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/check-in")).Status);

        var (named, view) = await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { volunteerId = world.LeadId });
        var (again, _) = await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { volunteerId = world.LeadId });

        Assert.Equal(HttpStatusCode.OK, named);
        Assert.Equal((world.ShiftId, world.LeadId, "Lea Leitung"),
            (view.GetProperty("shiftId").GetGuid(), view.GetProperty("volunteerId").GetGuid(), view.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT count(*) FROM shift_leads WHERE shift_id = @id", world.ShiftId));
        var (checkedIn, mark) = await SendAsync(lead, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/check-in");
        Assert.Equal(HttpStatusCode.OK, checkedIn);
        Assert.NotEqual(JsonValueKind.Null, mark.GetProperty("checkedInAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(lead, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/no-show")).Status);
        var (listed, list) = await SendAsync(lead, HttpMethod.Get, $"/api/events/{world.EventId}/attendance");
        Assert.Equal(HttpStatusCode.OK, listed);
        var shifts = list.GetProperty("shifts").EnumerateArray().ToDictionary(s => s.GetProperty("shiftId").GetGuid());
        var leadOf = Assert.Single(shifts[world.ShiftId].GetProperty("leads").EnumerateArray());
        Assert.Equal((world.LeadId, "Lea Leitung"), (leadOf.GetProperty("volunteerId").GetGuid(), leadOf.GetProperty("name").GetString()));
        Assert.Empty(shifts[world.OtherShiftId].GetProperty("leads").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(world.Coordinator, HttpMethod.Delete, $"/api/shifts/{world.ShiftId}/lead/{world.LeadId}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(world.Coordinator, HttpMethod.Delete, $"/api/shifts/{world.ShiftId}/lead/{world.LeadId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(lead, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/check-in")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(lead, HttpMethod.Get, $"/api/events/{world.EventId}/attendance")).Status);
    }

    [Fact]
    public async Task A_lead_of_another_event_or_one_who_left_the_organisation_may_not_check_in()
    {
        using var world = await WorldAsync();
        var elsewhere = await Seed.EventAsync(fixture, world.Org, Seed.Future(5, 6), Seed.Future(5, 22));
        var elsewhereShift = await Seed.ShiftAsync(world.Coordinator, elsewhere, Seed.Future(5, 8), Seed.Future(5, 10));
        var (otherLead, otherLeadToken) = await fixture.CreateMemberAsync(world.Org);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{elsewhereShift}/lead", new { volunteerId = otherLead })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { volunteerId = world.LeadId })).Status);
        using var other = fixture.Client(otherLeadToken);
        using var lead = fixture.Client(world.LeadToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(other, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/check-in")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(other, HttpMethod.Get, $"/api/events/{world.EventId}/attendance")).Status);
        await using (var command = fixture.Db.CreateCommand("DELETE FROM memberships WHERE volunteer_id = @id"))
        {
            command.Parameters.AddWithValue("id", world.LeadId);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(lead, HttpMethod.Post, $"/api/shifts/{world.OtherShiftId}/claims/{world.ClaimId}/check-in")).Status);
    }

    [Fact]
    public async Task Only_coordinators_name_leads_and_only_members_can_be_named()
    {
        using var world = await WorldAsync();
        var (helperId, helperToken) = await fixture.CreateMemberAsync(world.Org);
        using var helper = fixture.Client(helperToken);
        var (stranger, _) = await fixture.CreateMemberAsync(await fixture.CreateOrganisationAsync());
        var draft = await Seed.EventAsync(fixture, world.Org, Seed.Future(5, 6), Seed.Future(5, 22), status: "draft");
        var draftShift = await Seed.ShiftAsync(world.Coordinator, draft, Seed.Future(5, 8), Seed.Future(5, 10));

        var (forbidden, forbiddenProblem) = await SendAsync(helper, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { volunteerId = helperId });
        var (notMember, notMemberProblem) = await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { volunteerId = stranger });
        var (missing, missingProblem) = await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{world.ShiftId}/lead", new { });
        var (unknown, _) = await SendAsync(world.Coordinator, HttpMethod.Put, $"/api/shifts/{Guid.NewGuid()}/lead", new { volunteerId = helperId });
        var (hidden, _) = await SendAsync(helper, HttpMethod.Put, $"/api/shifts/{draftShift}/lead", new { volunteerId = helperId });
        var (removeForbidden, _) = await SendAsync(helper, HttpMethod.Delete, $"/api/shifts/{world.ShiftId}/lead/{world.LeadId}");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (forbidden, forbiddenProblem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Conflict, "not-a-member"), (notMember, notMemberProblem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), (missing, missingProblem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.NotFound, hidden);
        Assert.Equal(HttpStatusCode.Forbidden, removeForbidden);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM shift_leads WHERE shift_id = @id", world.ShiftId));
    }
}
