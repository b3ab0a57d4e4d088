using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Events.Tests.Attendance;

namespace Shifts.Events.Tests.Invitations;

/// <summary>Invitations for a signed-in person: listed under My shifts, answered there by their id.</summary>
[Collection(nameof(EventsCollection))]
public sealed class MyInvitationTests(EventsFixture fixture)
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<(string Org, HttpClient Coordinator, Guid ShiftId)> ShiftAsync(int capacity = 2)
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (coordinatorId, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        await AttendanceKit.NameAsync(fixture, coordinatorId, "Carla Koordinatorin");
        var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(3, 18), Seed.Future(4, 3));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 22), Seed.Future(4, 3), capacity: capacity, minimum: 1, title: "Awareness-Team");
        return (org, coordinator, shiftId);
    }

    private static async Task<Guid> InviteAsync(HttpClient coordinator, Guid shiftId, Guid volunteerId, string? message = null)
    {
        var (status, batch) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { volunteerId }, message });
        Assert.Equal(HttpStatusCode.Accepted, status);
        return batch.GetProperty("items")[0].GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> InvitationsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/me/shifts")).GetProperty("invitations");

    [Fact]
    public async Task My_shifts_lists_a_pending_invitation_with_its_shift_message_expiry_and_who_sent_it()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (person, token) = await fixture.CreateMemberAsync(org);
        var invitationId = await InviteAsync(coordinator, shiftId, person, "Magst du mitmachen?");
        using var client = fixture.Client(token);

        var invitation = Assert.Single((await InvitationsAsync(client)).EnumerateArray());

        Assert.Equal(invitationId, invitation.GetProperty("id").GetGuid());
        Assert.Equal(shiftId, invitation.GetProperty("shift").GetProperty("id").GetGuid());
        Assert.Equal("Awareness-Team", invitation.GetProperty("shift").GetProperty("title").GetString());
        Assert.Equal("Magst du mitmachen?", invitation.GetProperty("message").GetString());
        Assert.Equal("Carla Koordinatorin", invitation.GetProperty("invitedByName").GetString());
        var expires = invitation.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(Seed.Future(3, 22), expires);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(expires), expires.Offset);
        // Nobody else sees it.
        var (_, otherToken) = await fixture.CreateMemberAsync(org);
        using var other = fixture.Client(otherToken);
        Assert.Empty((await InvitationsAsync(other)).EnumerateArray());
    }

    [Fact]
    public async Task Accepting_by_id_is_a_claim_twice_the_same_claim_and_the_invitation_leaves_the_list()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (person, token) = await fixture.CreateMemberAsync(org);
        var invitationId = await InviteAsync(coordinator, shiftId, person);
        using var client = fixture.Client(token);

        var (created, claim) = await SendAsync(client, HttpMethod.Post, $"/api/invitations/{invitationId}/accept");
        var (again, same) = await SendAsync(client, HttpMethod.Post, $"/api/invitations/{invitationId}/accept");
        var (declined, problem) = await SendAsync(client, HttpMethod.Post, $"/api/invitations/{invitationId}/decline");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(person, claim.GetProperty("volunteerId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(claim.GetProperty("id").GetGuid(), same.GetProperty("id").GetGuid());
        Assert.Equal((HttpStatusCode.Conflict, "invitation-answered"), (declined, problem.GetProperty("code").GetString()));
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/shifts");
        Assert.Empty(mine.GetProperty("invitations").EnumerateArray());
        Assert.Equal(shiftId, Assert.Single(mine.GetProperty("claims").EnumerateArray()).GetProperty("shift").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Declining_by_id_is_204_twice_too_and_a_full_shift_or_a_lapsed_invitation_say_so()
    {
        var (org, coordinator, shiftId) = await ShiftAsync(capacity: 1);
        var (first, firstToken) = await fixture.CreateMemberAsync(org);
        var (second, secondToken) = await fixture.CreateMemberAsync(org);
        var (third, thirdToken) = await fixture.CreateMemberAsync(org);
        var firstInvitation = await InviteAsync(coordinator, shiftId, first);
        var secondInvitation = await InviteAsync(coordinator, shiftId, second);
        var thirdInvitation = await InviteAsync(coordinator, shiftId, third);
        using var firstClient = fixture.Client(firstToken);
        using var secondClient = fixture.Client(secondToken);
        using var thirdClient = fixture.Client(thirdToken);
        await using (var command = fixture.Db.CreateCommand("UPDATE shift_invitations SET expires_at = now() - interval '1 minute' WHERE id = @id"))
        {
            command.Parameters.AddWithValue("id", thirdInvitation);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Empty((await InvitationsAsync(thirdClient)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(firstClient, HttpMethod.Post, $"/api/invitations/{firstInvitation}/decline")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(firstClient, HttpMethod.Post, $"/api/invitations/{firstInvitation}/decline")).Status);
        Assert.Empty((await InvitationsAsync(firstClient)).EnumerateArray());
        var (taken, _) = await SendAsync(firstClient, HttpMethod.Post, $"/api/shifts/{shiftId}/claims");
        Assert.Equal(HttpStatusCode.Created, taken);

        var (full, fullProblem) = await SendAsync(secondClient, HttpMethod.Post, $"/api/invitations/{secondInvitation}/accept");
        var (gone, goneProblem) = await SendAsync(thirdClient, HttpMethod.Post, $"/api/invitations/{thirdInvitation}/accept");

        Assert.Equal((HttpStatusCode.Conflict, "shift-full"), (full, fullProblem.GetProperty("code").GetString()));
        Assert.True(fullProblem.GetProperty("waitlistAvailable").GetBoolean());
        Assert.Equal((HttpStatusCode.Gone, "invitation-expired"), (gone, goneProblem.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Someone_elses_invitation_or_an_unknown_id_is_not_found_and_nothing_changes()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (person, _) = await fixture.CreateMemberAsync(org);
        var (_, otherToken) = await fixture.CreateMemberAsync(org);
        var invitationId = await InviteAsync(coordinator, shiftId, person);
        using var other = fixture.Client(otherToken);
        using var anonymous = fixture.Client();

        var (accepted, problem) = await SendAsync(other, HttpMethod.Post, $"/api/invitations/{invitationId}/accept");
        var (declined, _) = await SendAsync(other, HttpMethod.Post, $"/api/invitations/{invitationId}/decline");
        var (unknown, _) = await SendAsync(other, HttpMethod.Post, $"/api/invitations/{Guid.NewGuid()}/accept");
        var (signedOut, _) = await SendAsync(anonymous, HttpMethod.Post, $"/api/invitations/{invitationId}/accept");

        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (accepted, problem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, declined);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT count(*) FROM shift_invitations WHERE shift_id = @id AND state = 'sent'", shiftId));
    }
}
