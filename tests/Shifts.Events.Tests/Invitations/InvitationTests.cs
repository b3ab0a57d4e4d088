using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Events.Tests.Invitations;

/// <summary>Invitations to a shift: sending, the states a coordinator sees, and every answer to the mailed token.</summary>
[Collection(nameof(EventsCollection))]
public sealed class InvitationTests(EventsFixture fixture)
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
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(3, 18), Seed.Future(4, 3));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 22), Seed.Future(4, 3), capacity: capacity, minimum: Math.Min(2, capacity), title: "Awareness-Team");
        return (org, coordinator, shiftId);
    }

    private async Task<string> TokenAsync(Guid invitationId) =>
        (await fixture.ReceivedAsync<ShiftInvitationSent>(m => m.InvitationId == invitationId)).Single().Message.Token;

    private static Guid IdOf(JsonElement batch, Guid volunteerId) =>
        batch.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("volunteerId").GetGuid() == volunteerId).GetProperty("id").GetGuid();

    [Fact]
    public async Task Invited_people_are_mailed_a_token_listed_as_sent_skipped_when_on_the_shift_and_no_longer_candidates()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (asked, _) = await fixture.CreateMemberAsync(org);
        var (onIt, onItToken) = await fixture.CreateMemberAsync(org);
        using (var client = fixture.Client(onItToken))
        using (var claimed = await client.PostAsync($"/api/shifts/{shiftId}/claims", null))
        {
            Assert.Equal(HttpStatusCode.Created, claimed.StatusCode);
        }

        var (status, batch) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations",
            new { volunteerIds = new[] { asked, onIt }, message = "Magst du <b>mitmachen</b>?" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        var invitationId = IdOf(batch, asked);
        Assert.Equal("holds-claim", batch.GetProperty("skipped").EnumerateArray().Single(s => s.GetProperty("volunteerId").GetGuid() == onIt).GetProperty("reason").GetString());
        var mailed = (await fixture.ReceivedAsync<ShiftInvitationSent>(m => m.InvitationId == invitationId)).Single().Message;
        Assert.Equal(asked, mailed.VolunteerId);
        Assert.Equal("Magst du <b>mitmachen</b>?", mailed.Message);
        Assert.Equal(shiftId, mailed.Shift.ShiftId);
        Assert.Equal(Seed.Future(3, 22), mailed.ExpiresAt);
        Assert.Equal(43, mailed.Token.Length);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM shift_invitations WHERE token_hash = convert_to(@id::text, 'UTF8')", invitationId));

        var (_, list) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/invitations");
        Assert.Equal("sent", list.GetProperty("items").EnumerateArray().Single().GetProperty("state").GetString());
        var (_, again) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { asked } });
        Assert.Equal("already-invited", again.GetProperty("skipped").EnumerateArray().Single().GetProperty("reason").GetString());
        var (_, candidates) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/candidates");
        Assert.DoesNotContain(asked, candidates.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("volunteerId").GetGuid()));
        var (_, gaps) = await SendAsync(coordinator, HttpMethod.Get, $"/api/orgs/{org}/gaps");
        Assert.Equal(1, gaps.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("shiftId").GetGuid() == shiftId).GetProperty("invited").GetInt32());
    }

    [Fact]
    public async Task Accepting_is_a_claim_accepting_twice_is_the_same_claim_and_a_later_decline_is_refused()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (person, _) = await fixture.CreateMemberAsync(org);
        var (_, batch) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { person } });
        var token = await TokenAsync(IdOf(batch, person));
        using var anonymous = fixture.Client();

        var (created, claim) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token });
        var (again, same) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token });
        var (declined, problem) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/decline", new { token });

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(person, claim.GetProperty("volunteerId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(claim.GetProperty("id").GetGuid(), same.GetProperty("id").GetGuid());
        Assert.Equal((HttpStatusCode.Conflict, "invitation-answered"), (declined, problem.GetProperty("code").GetString()));
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        await fixture.ReceivedAsync<ShiftClaimed>(m => m.ClaimId == claim.GetProperty("id").GetGuid() && m.AssignedBy == null);
        var (_, list) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/invitations");
        Assert.Equal("accepted", list.GetProperty("items").EnumerateArray().Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_late_accept_on_a_shift_that_filled_says_so_and_offers_the_waitlist_first_come_first_served()
    {
        var (org, coordinator, shiftId) = await ShiftAsync(capacity: 1);
        var (first, _) = await fixture.CreateMemberAsync(org);
        var (second, _) = await fixture.CreateMemberAsync(org);
        var (_, batch) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { first, second } });
        using var anonymous = fixture.Client();

        var quick = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token = await TokenAsync(IdOf(batch, first)) });
        var (late, problem) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token = await TokenAsync(IdOf(batch, second)) });

        Assert.Equal(HttpStatusCode.Created, quick.Status);
        Assert.Equal((HttpStatusCode.Conflict, "shift-full"), (late, problem.GetProperty("code").GetString()));
        Assert.Equal(shiftId, problem.GetProperty("shiftId").GetGuid());
        Assert.True(problem.GetProperty("waitlistAvailable").GetBoolean());
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
    }

    [Fact]
    public async Task A_lapsed_invitation_is_gone_a_declined_one_is_not_asked_again_and_unknown_tokens_are_not_found()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (late, _) = await fixture.CreateMemberAsync(org);
        var (no, _) = await fixture.CreateMemberAsync(org);
        var (_, batch) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { late, no } });
        var lapsed = IdOf(batch, late);
        await using (var command = fixture.Db.CreateCommand("UPDATE shift_invitations SET expires_at = now() - interval '1 minute' WHERE id = @id"))
        {
            command.Parameters.AddWithValue("id", lapsed);
            await command.ExecuteNonQueryAsync();
        }

        using var anonymous = fixture.Client();
        var (gone, goneProblem) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token = await TokenAsync(lapsed) });
        var (declined, _) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/decline", new { token = await TokenAsync(IdOf(batch, no)) });
        var (unknown, unknownProblem) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { token = new string('A', 43) });
        var (empty, emptyProblem) = await SendAsync(anonymous, HttpMethod.Post, "/api/invitations/accept", new { });

        Assert.Equal((HttpStatusCode.Gone, "invitation-expired"), (gone, goneProblem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, declined);
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (unknown, unknownProblem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), (empty, emptyProblem.GetProperty("code").GetString()));
        var (_, list) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/invitations");
        var states = list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("volunteerId").GetGuid(), i => i.GetProperty("state").GetString());
        Assert.Equal("expired", states[late]);
        Assert.Equal("declined", states[no]);
        var (_, candidates) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/candidates");
        var ids = candidates.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("volunteerId").GetGuid()).ToList();
        Assert.Contains(late, ids);
        Assert.DoesNotContain(no, ids);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
    }

    [Fact]
    public async Task Only_coordinators_invite_and_only_members_can_be_invited()
    {
        var (org, coordinator, shiftId) = await ShiftAsync();
        var (helperId, helperToken) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(helperToken);
        var (stranger, _) = await fixture.CreateMemberAsync(await fixture.CreateOrganisationAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(helper, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { helperId } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(helper, HttpMethod.Get, $"/api/shifts/{shiftId}/invitations")).Status);
        var (foreign, problem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { stranger } });
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), (foreign, problem.GetProperty("code").GetString()));
        var (none, _) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.BadRequest, none);
        var (past, _) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/invitations", new { volunteerIds = new[] { helperId }, expiresAt = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM shift_invitations WHERE shift_id = @id", shiftId));
    }
}
