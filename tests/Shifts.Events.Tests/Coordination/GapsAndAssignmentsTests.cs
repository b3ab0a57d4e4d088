using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Events.Tests.Coordination;

/// <summary>The coordinators' gap list, candidates, assignment and removal of a claim, against the real database and broker.</summary>
[Collection(nameof(EventsCollection))]
public sealed class GapsAndAssignmentsTests(EventsFixture fixture)
{
    private async Task<(string Org, Guid CoordinatorId, HttpClient Coordinator, Guid EventId)> OrganisationAsync(TimeSpan? deadline = null)
    {
        var org = await fixture.CreateOrganisationAsync(cancellationDeadline: deadline);
        var (coordinatorId, token) = await fixture.CreateMemberAsync(org, "coordinator");
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(3, 8), Seed.Future(3, 23));
        return (org, coordinatorId, fixture.Client(token), eventId);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task ClaimAsync(HttpClient helper, Guid shiftId)
    {
        using var response = await helper.PostAsync($"/api/shifts/{shiftId}/claims", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Makes the person experienced in the organisation: a confirmed claim on a shift that ended yesterday.</summary>
    private async Task CompletedShiftAsync(string org, Guid volunteerId)
    {
        var past = await Seed.EventAsync(fixture, org, Seed.Future(-2, 8), Seed.Future(-2, 20));
        var shiftId = Guid.CreateVersion7();
        await using var command = fixture.Db.CreateCommand("""
            INSERT INTO shifts (id, event_id, org, kind, event_status, title, starts_at, ends_at, capacity, minimum, confirmed)
            VALUES (@shift, @event, @org, 'festival', 'published', 'Aufbau', @start, @end, 3, 0, 1);
            INSERT INTO claims (id, shift_id, volunteer_id, status, during) VALUES (@claim, @shift, @volunteer, 'confirmed', tstzrange(@start, @end, '[)'));
            """);
        command.Parameters.AddWithValue("shift", shiftId);
        command.Parameters.AddWithValue("event", past);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("start", Seed.Future(-2, 10).UtcDateTime);
        command.Parameters.AddWithValue("end", Seed.Future(-2, 14).UtcDateTime);
        command.Parameters.AddWithValue("claim", Guid.CreateVersion7());
        command.Parameters.AddWithValue("volunteer", volunteerId);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Gaps_list_shifts_below_their_minimum_first_then_the_not_yet_full_and_leave_out_full_ones_and_later_ones()
    {
        var (org, _, coordinator, eventId) = await OrganisationAsync();
        var shortLater = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 18), Seed.Future(3, 20), capacity: 2, minimum: 2, title: "Awareness");
        var openSoon = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 9), Seed.Future(3, 11), capacity: 3, minimum: 1, title: "Aufbau");
        var full = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 12), Seed.Future(3, 14), capacity: 1, minimum: 1, title: "Kasse");
        var laterEvent = await Seed.EventAsync(fixture, org, Seed.Future(20, 8), Seed.Future(20, 20));
        await Seed.ShiftAsync(coordinator, laterEvent, Seed.Future(20, 10), Seed.Future(20, 12), capacity: 2, minimum: 2, title: "Später");
        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        await ClaimAsync(helper, openSoon);
        using var other = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        await ClaimAsync(other, full);

        var (status, gaps) = await SendAsync(coordinator, HttpMethod.Get, $"/api/orgs/{org}/gaps?within=P7D");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = gaps.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([shortLater, openSoon], items.Select(i => i.GetProperty("shiftId").GetGuid()));
        Assert.True(items[0].GetProperty("belowMinimum").GetBoolean());
        Assert.Equal(2, items[0].GetProperty("missing").GetInt32());
        Assert.False(items[1].GetProperty("belowMinimum").GetBoolean());
        Assert.Equal(2, items[1].GetProperty("open").GetInt32());
        Assert.Equal("P7D", gaps.GetProperty("within").GetString());
        Assert.Equal("Sommerfest am Weserwehr", items[0].GetProperty("eventTitle").GetString());
    }

    [Fact]
    public async Task Gaps_say_when_only_newcomers_are_on_a_shift()
    {
        var (org, _, coordinator, eventId) = await OrganisationAsync();
        var alone = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 18), Seed.Future(3, 20), capacity: 3, minimum: 2);
        var paired = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 3, minimum: 2);
        using var newcomer = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        var (veteranId, veteranToken) = await fixture.CreateMemberAsync(org);
        await CompletedShiftAsync(org, veteranId);
        using var veteran = fixture.Client(veteranToken);
        await ClaimAsync(newcomer, alone);
        await ClaimAsync(veteran, paired);

        var (_, gaps) = await SendAsync(coordinator, HttpMethod.Get, $"/api/orgs/{org}/gaps");

        var flags = gaps.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("shiftId").GetGuid(), i => i.GetProperty("newcomersWithoutExperienced").GetBoolean());
        Assert.True(flags[alone]);
        Assert.False(flags[paired]);
    }

    [Theory]
    [InlineData("14 days")]
    [InlineData("P90D")]
    [InlineData("PT10M")]
    public async Task Gaps_refuse_a_window_that_is_no_duration_or_out_of_range(string within)
    {
        var (org, _, coordinator, _) = await OrganisationAsync();
        var (status, problem) = await SendAsync(coordinator, HttpMethod.Get, $"/api/orgs/{org}/gaps?within={Uri.EscapeDataString(within)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Only_coordinators_see_gaps_and_candidates_and_assign()
    {
        var (org, _, coordinator, eventId) = await OrganisationAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), minimum: 1);
        var (helperId, token) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(token);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(helper, HttpMethod.Get, $"/api/orgs/{org}/gaps")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(helper, HttpMethod.Get, $"/api/shifts/{shiftId}/candidates")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(helper, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = helperId })).Status);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
    }

    [Fact]
    public async Task Candidates_are_the_free_and_qualified_members_never_one_with_an_overlapping_claim_or_without_the_qualification()
    {
        var (org, coordinatorId, coordinator, eventId) = await OrganisationAsync();
        await fixture.AddQualificationAsync(org, "awareness");
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 20), Seed.Future(3, 23), capacity: 2, minimum: 2, requiredQualification: "awareness");
        var elsewhere = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 21), Seed.Future(3, 22), capacity: 5);
        var (free, _) = await fixture.CreateMemberAsync(org, "helper", "awareness");
        var (busy, busyToken) = await fixture.CreateMemberAsync(org, "helper", "awareness");
        var (unqualified, _) = await fixture.CreateMemberAsync(org, "helper", "bar");
        using (var busyClient = fixture.Client(busyToken))
        {
            await ClaimAsync(busyClient, elsewhere);
        }

        var (status, list) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/candidates");

        Assert.Equal(HttpStatusCode.OK, status);
        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("volunteerId").GetGuid()).ToList();
        Assert.Contains(free, ids);
        Assert.DoesNotContain(busy, ids);
        Assert.DoesNotContain(unqualified, ids);
        Assert.DoesNotContain(coordinatorId, ids); // holds no awareness qualification
        var candidate = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("volunteerId").GetGuid() == free);
        var reasons = candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("qualified", reasons);
        Assert.Contains("free", reasons);
        Assert.Contains("newcomer", reasons);
        Assert.Equal("de", candidate.GetProperty("language").GetString());
        Assert.False(candidate.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Candidates_put_experienced_people_first_where_only_newcomers_are_on_the_shift_and_otherwise_the_fewest_hours_first()
    {
        var (org, _, coordinator, eventId) = await OrganisationAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 18), Seed.Future(3, 20), capacity: 4, minimum: 3);
        using (var newcomer = fixture.Client((await fixture.CreateMemberAsync(org)).Token))
        {
            await ClaimAsync(newcomer, shiftId);
        }

        var (veteran, _) = await fixture.CreateMemberAsync(org);
        await CompletedShiftAsync(org, veteran);

        var (_, list) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{shiftId}/candidates");

        var first = list.GetProperty("items").EnumerateArray().First();
        Assert.Equal(veteran, first.GetProperty("volunteerId").GetGuid());
        Assert.True(first.GetProperty("experienced").GetBoolean());
        Assert.Equal(4.0, first.GetProperty("hoursLast30Days").GetDouble());
        Assert.Contains("pairs-newcomers", first.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        // Without newcomers to pair, fairness decides: the veteran's four hours put them last.
        var plain = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 4, minimum: 1);
        var (_, fair) = await SendAsync(coordinator, HttpMethod.Get, $"/api/shifts/{plain}/candidates");
        Assert.Equal(veteran, fair.GetProperty("items").EnumerateArray().Last().GetProperty("volunteerId").GetGuid());
    }

    [Fact]
    public async Task An_assignment_takes_a_place_as_a_claim_does_and_tells_the_person_who_put_them_there()
    {
        var (org, coordinatorId, coordinator, eventId) = await OrganisationAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 2);
        var (helper, _) = await fixture.CreateMemberAsync(org);

        var (created, claim) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = helper });
        var (again, same) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = helper });

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(helper, claim.GetProperty("volunteerId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(claim.GetProperty("id").GetGuid(), same.GetProperty("id").GetGuid());
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        var told = await fixture.ReceivedAsync<ShiftClaimed>(m => m.ClaimId == claim.GetProperty("id").GetGuid());
        Assert.Equal(coordinatorId, told.Single().Message.AssignedBy);
    }

    [Fact]
    public async Task A_full_shift_takes_an_assignment_only_with_exceedCapacity_which_raises_the_capacity_and_records_who_and_why()
    {
        var (org, coordinatorId, coordinator, eventId) = await OrganisationAsync();
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 1);
        using (var taker = fixture.Client((await fixture.CreateMemberAsync(org)).Token))
        {
            await ClaimAsync(taker, shiftId);
        }

        var (extra, _) = await fixture.CreateMemberAsync(org);

        var (refused, problem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = extra });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("shift-full", problem.GetProperty("code").GetString());
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT capacity FROM shifts WHERE id = @id", shiftId));

        var (created, _) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments",
            new { volunteerId = extra, exceedCapacity = true, reason = "Zweite Person für die Kasse" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(2, await Seed.CountAsync(fixture, "SELECT capacity FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(2, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        await using var command = fixture.Db.CreateCommand("SELECT assigned_by, reason FROM capacity_overrides WHERE shift_id = @id");
        command.Parameters.AddWithValue("id", shiftId);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(coordinatorId, row.GetFieldValue<Guid>(0));
        Assert.Equal("Zweite Person für die Kasse", row.GetFieldValue<string>(1));
    }

    [Fact]
    public async Task An_assignment_is_refused_for_an_overlap_a_missing_qualification_and_a_non_member_and_leaves_nothing_behind()
    {
        var (org, _, coordinator, eventId) = await OrganisationAsync();
        await fixture.AddQualificationAsync(org, "first-aid");
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 3);
        var needs = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 14), Seed.Future(3, 16), requiredQualification: "first-aid");
        var overlapping = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 11), Seed.Future(3, 13), capacity: 3);
        var (busy, busyToken) = await fixture.CreateMemberAsync(org);
        using (var busyClient = fixture.Client(busyToken))
        {
            await ClaimAsync(busyClient, overlapping);
        }

        var otherOrg = await fixture.CreateOrganisationAsync();
        var (stranger, _) = await fixture.CreateMemberAsync(otherOrg);

        var (overlap, overlapProblem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = busy, exceedCapacity = true });
        var (unqualified, qualificationProblem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{needs}/assignments", new { volunteerId = busy });
        var (foreign, memberProblem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { volunteerId = stranger });
        var (missing, missingProblem) = await SendAsync(coordinator, HttpMethod.Post, $"/api/shifts/{shiftId}/assignments", new { });

        Assert.Equal((HttpStatusCode.Conflict, "overlapping-claim"), (overlap, overlapProblem.GetProperty("code").GetString()));
        Assert.Equal(overlapping, overlapProblem.GetProperty("conflictingShiftId").GetGuid());
        Assert.Equal((HttpStatusCode.Conflict, "qualification-missing"), (unqualified, qualificationProblem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Conflict, "not-a-member"), (foreign, memberProblem.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), (missing, missingProblem.GetProperty("code").GetString()));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(3, await Seed.CountAsync(fixture, "SELECT capacity FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM capacity_overrides WHERE shift_id = @id", shiftId));
    }

    [Fact]
    public async Task A_coordinator_takes_a_person_off_after_the_self_cancel_deadline_the_person_is_told_and_the_waitlist_moves_up()
    {
        // A deadline of ten days: the shift in three days can no longer be given back by the helper.
        var (org, _, coordinator, eventId) = await OrganisationAsync(deadline: TimeSpan.FromDays(10));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), capacity: 1);
        var (holder, holderToken) = await fixture.CreateMemberAsync(org);
        using var holderClient = fixture.Client(holderToken);
        await ClaimAsync(holderClient, shiftId);
        var (waiting, waitingToken) = await fixture.CreateMemberAsync(org);
        using (var waitingClient = fixture.Client(waitingToken))
        using (var joined = await waitingClient.PostAsync($"/api/shifts/{shiftId}/waitlist", null))
        {
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(holderClient, HttpMethod.Delete, $"/api/shifts/{shiftId}/claims/mine")).Status);
        var claimId = (await fixture.ReceivedAsync<ShiftClaimed>(m => m.VolunteerId == holder && m.Shift.ShiftId == shiftId)).Single().Message.ClaimId;

        var (status, _) = await SendAsync(coordinator, HttpMethod.Delete, $"/api/shifts/{shiftId}/claims/{claimId}", new { reason = "Doppelt eingeteilt" });

        Assert.Equal(HttpStatusCode.NoContent, status);
        var cancelled = await fixture.ReceivedAsync<ClaimCancelled>(m => m.ClaimId == claimId);
        Assert.Equal("coordinator", cancelled.Single().Message.Reason);
        await fixture.ReceivedAsync<WaitlistPromoted>(m => m.VolunteerId == waiting && m.Shift.ShiftId == shiftId);
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(coordinator, HttpMethod.Delete, $"/api/shifts/{shiftId}/claims/{claimId}")).Status);
    }
}
