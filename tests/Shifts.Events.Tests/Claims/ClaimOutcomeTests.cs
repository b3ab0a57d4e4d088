using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shifts.Events.Tests.Claims;

/// <summary>Every outcome of POST /api/shifts/{id}/claims that the API names, and giving a claim back.</summary>
[Collection(nameof(EventsCollection))]
public sealed class ClaimOutcomeTests(EventsFixture fixture)
{
    private async Task<(string Org, HttpClient Coordinator, Guid EventId)> OrganisationWithEventAsync(string status = "published", TimeSpan? deadline = null)
    {
        var org = await fixture.CreateOrganisationAsync(cancellationDeadline: deadline);
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(5), Seed.Future(5, 22), status);
        return (org, fixture.Client(token), eventId);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ClaimAsync(HttpClient client, Guid shiftId, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/shifts/{shiftId}/claims");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_claim_is_201_with_the_claim_and_a_repeated_claim_is_200_with_the_same_claim()
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12));
        var (volunteerId, token) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(token);

        var (first, claim) = await ClaimAsync(helper, shiftId);
        var (second, again) = await ClaimAsync(helper, shiftId);

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal("confirmed", claim.GetProperty("status").GetString());
        Assert.Equal(shiftId, claim.GetProperty("shiftId").GetGuid());
        Assert.Equal(volunteerId, claim.GetProperty("volunteerId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(claim.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
    }

    [Fact]
    public async Task An_Idempotency_Key_replays_the_first_answer_even_when_it_was_a_refusal()
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12), capacity: 1);
        using var taker = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        using var late = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        Assert.Equal(HttpStatusCode.Created, (await ClaimAsync(taker, shiftId, "key-1")).Status);

        var (refused, problem) = await ClaimAsync(late, shiftId, "late-key");
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("shift-full", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("waitlistAvailable").GetBoolean());

        // The place frees up, but a retry with the same key gets the answer the first request got.
        using (var giveBack = await taker.DeleteAsync($"/api/shifts/{shiftId}/claims/mine"))
        {
            Assert.Equal(HttpStatusCode.NoContent, giveBack.StatusCode);
        }

        var (replayed, replayedProblem) = await ClaimAsync(late, shiftId, "late-key");
        Assert.Equal(HttpStatusCode.Conflict, replayed);
        Assert.Equal("shift-full", replayedProblem.GetProperty("code").GetString());

        // A new key is a new request, which now succeeds; retried, it answers the same claim.
        var (created, claim) = await ClaimAsync(late, shiftId, "late-key-2");
        var (retried, sameClaim) = await ClaimAsync(late, shiftId, "late-key-2");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Equal(claim.GetProperty("id").GetGuid(), sameClaim.GetProperty("id").GetGuid());

        // The same key for another shift is a client bug, not a replay.
        var otherShift = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 18), Seed.Future(5, 19));
        var (reused, reusedProblem) = await ClaimAsync(late, otherShift, "late-key-2");
        Assert.Equal(HttpStatusCode.Conflict, reused);
        Assert.Equal("idempotency-key-reused", reusedProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_shift_needing_a_qualification_is_403_qualification_required_for_those_without_it()
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        await fixture.AddQualificationAsync(org, "awareness");
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 20), Seed.Future(5, 23), requiredQualification: "awareness");
        using var untrained = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        using var trained = fixture.Client((await fixture.CreateMemberAsync(org, "helper", "awareness")).Token);

        var (refused, problem) = await ClaimAsync(untrained, shiftId);
        var (accepted, _) = await ClaimAsync(trained, shiftId);

        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("qualification-required", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, accepted);
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("postponed")]
    [InlineData("cancelled")]
    public async Task A_shift_of_an_event_that_is_not_published_is_409_shift_closed_and_a_draft_is_not_even_visible(string status)
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12));
        await using (var change = fixture.Db.CreateCommand("""
            UPDATE events SET status = @status WHERE id = @id;
            UPDATE shifts SET event_status = @status WHERE event_id = @id;
            """))
        {
            change.Parameters.AddWithValue("status", status);
            change.Parameters.AddWithValue("id", eventId);
            await change.ExecuteNonQueryAsync();
        }

        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);

        var (refused, problem) = await ClaimAsync(helper, shiftId);

        Assert.Equal(status == "draft" ? HttpStatusCode.NotFound : HttpStatusCode.Conflict, refused);
        if (status != "draft")
        {
            Assert.Equal("shift-closed", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_shift_that_has_started_is_409_shift_closed()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(3));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);

        var (refused, problem) = await ClaimAsync(helper, shiftId);

        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("shift-closed", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Members_of_another_organisation_cannot_claim_and_unknown_shifts_are_404()
    {
        var (_, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12));
        var otherOrg = await fixture.CreateOrganisationAsync();
        using var outsider = fixture.Client((await fixture.CreateMemberAsync(otherOrg)).Token);
        using var anonymous = fixture.Client();

        Assert.Equal(HttpStatusCode.Forbidden, (await ClaimAsync(outsider, shiftId)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ClaimAsync(outsider, Guid.NewGuid())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClaimAsync(anonymous, shiftId)).Status);
        using var malformed = await outsider.PostAsync("/api/shifts/not-a-guid/claims", null);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task A_forged_or_expired_token_is_401_unauthenticated()
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12));
        using var forger = new global::Shifts.Testing.TestTokens("test-key");
        using var forged = fixture.Client(forger.Mint(Guid.NewGuid(), "Mallory", [(org, "coordinator")]));
        using var expired = fixture.Client(fixture.Tokens.Mint(Guid.NewGuid(), "Late", [(org, "helper")], lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1)));
        using var garbage = fixture.Client("not.a.token");

        foreach (var client in new[] { forged, expired, garbage })
        {
            var (status, problem) = await ClaimAsync(client, shiftId);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Giving_a_claim_back_after_the_deadline_is_409_cancellation_deadline_passed()
    {
        var (org, coordinator, _) = await OrganisationWithEventAsync(deadline: TimeSpan.FromHours(24));
        var soonEvent = await Seed.EventAsync(fixture, org, DateTimeOffset.UtcNow.AddHours(5), DateTimeOffset.UtcNow.AddHours(9));
        var soon = await Seed.ShiftAsync(coordinator, soonEvent, DateTimeOffset.UtcNow.AddHours(6), DateTimeOffset.UtcNow.AddHours(8));
        var laterEvent = await Seed.EventAsync(fixture, org, Seed.Future(6), Seed.Future(6, 20));
        var later = await Seed.ShiftAsync(coordinator, laterEvent, Seed.Future(6, 10), Seed.Future(6, 12));
        var (volunteerId, token) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(token);
        Assert.Equal(HttpStatusCode.Created, (await ClaimAsync(helper, soon)).Status);
        Assert.Equal(HttpStatusCode.Created, (await ClaimAsync(helper, later)).Status);

        using var tooLate = await helper.DeleteAsync($"/api/shifts/{soon}/claims/mine");
        using var inTime = await helper.DeleteAsync($"/api/shifts/{later}/claims/mine");
        using var nothingHeld = await helper.DeleteAsync($"/api/shifts/{later}/claims/mine");

        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Equal("cancellation-deadline-passed", (await tooLate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NoContent, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nothingHeld.StatusCode);
        var cancelled = await fixture.ReceivedAsync<global::Shifts.Contracts.ClaimCancelled>(m => m.VolunteerId == volunteerId);
        Assert.Equal("self", Assert.Single(cancelled).Message.Reason);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", later));
    }

    [Fact]
    public async Task The_waitlist_is_for_full_shifts_and_a_claim_after_promotion_is_the_same_claim()
    {
        var (org, coordinator, eventId) = await OrganisationWithEventAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(5, 10), Seed.Future(5, 12), capacity: 1);
        using var first = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        var (secondId, secondToken) = await fixture.CreateMemberAsync(org);
        using var second = fixture.Client(secondToken);

        using (var notFull = await second.PostAsync($"/api/shifts/{shiftId}/waitlist", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, notFull.StatusCode);
            Assert.Equal("shift-not-full", (await notFull.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.Created, (await ClaimAsync(first, shiftId)).Status);
        using (var joined = await second.PostAsync($"/api/shifts/{shiftId}/waitlist", null))
        {
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        }

        using (var again = await second.PostAsync($"/api/shifts/{shiftId}/waitlist", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("position").GetInt32());
        }

        using (var giveBack = await first.DeleteAsync($"/api/shifts/{shiftId}/claims/mine"))
        {
            Assert.Equal(HttpStatusCode.NoContent, giveBack.StatusCode);
        }

        var promoted = Assert.Single(await fixture.ReceivedAsync<global::Shifts.Contracts.WaitlistPromoted>(m => m.Shift.ShiftId == shiftId));
        Assert.Equal(secondId, promoted.Message.VolunteerId);
        var (status, claim) = await ClaimAsync(second, shiftId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(promoted.Message.ClaimId, claim.GetProperty("id").GetGuid());
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT waitlisted FROM shifts WHERE id = @id", shiftId));
    }
}
