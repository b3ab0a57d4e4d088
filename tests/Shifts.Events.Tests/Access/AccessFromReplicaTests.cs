using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Events.Tests.Access;

/// <summary>
/// The events service authorises from its replica of memberships, not from the token: a role
/// change, a new membership and an erasure count with the token the person already holds, and
/// membership changes delivered out of order leave the newest in place.
/// </summary>
[Collection(nameof(EventsCollection))]
public sealed class AccessFromReplicaTests(EventsFixture fixture)
{
    private static object NewEvent(DateTimeOffset start) => new
    {
        title = "Infostand",
        kind = "info-stand",
        location = new { name = "Marktplatz" },
        startsAt = start,
        endsAt = start.AddHours(2),
        shifts = new[] { new { title = "Stand", startsAt = start, endsAt = start.AddHours(2), capacity = 3 } },
    };

    private static async Task<string> RoleInReplicaAsync(EventsFixture fixture, Guid id, string org)
    {
        await using var command = fixture.Db.CreateCommand("SELECT role FROM memberships WHERE volunteer_id = @id AND org = @org");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", org);
        return (string?)await command.ExecuteScalarAsync() ?? "none";
    }

    private static async Task<long> VersionInReplicaAsync(EventsFixture fixture, Guid id, string org)
    {
        await using var command = fixture.Db.CreateCommand("SELECT version FROM membership_versions WHERE volunteer_id = @id AND org = @org");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", org);
        return (long?)await command.ExecuteScalarAsync() ?? -1;
    }

    [Fact]
    public async Task Two_changes_of_one_membership_delivered_out_of_order_leave_the_newer_in_place()
    {
        var org = await fixture.CreateOrganisationAsync();
        var id = Guid.NewGuid();
        using var client = fixture.Client(fixture.Tokens.Mint(id, "Carla", [(org, "helper")]));
        var start = Seed.Future(40);

        // Promoted (version 11) after being demoted (version 10), but the promotion arrives first.
        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, "coordinator", 11));
        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, "helper", 10));

        Assert.Equal("coordinator", await RoleInReplicaAsync(fixture, id, org));
        Assert.Equal(11, await VersionInReplicaAsync(fixture, id, org));
        using (var created = await client.PostAsJsonAsync($"/api/orgs/{org}/events", NewEvent(start)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Removed (version 13) after a demotion (version 12) that arrives late: the removal stays.
        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, null, 13));
        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, "helper", 12));

        Assert.Equal("none", await RoleInReplicaAsync(fixture, id, org));
        Assert.Equal(13, await VersionInReplicaAsync(fixture, id, org));
        using var refused = await client.GetAsync($"/api/orgs/{org}/shifts");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_demotion_takes_effect_with_the_token_already_held_and_a_new_membership_without_a_new_one()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (id, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var draft = await Seed.EventAsync(fixture, org, Seed.Future(41), Seed.Future(41, 14), status: "draft");
        using (var seen = await coordinator.GetAsync($"/api/events/{draft}"))
        {
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        }

        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, "helper", 100));

        // The token still says coordinator; the replica says helper: drafts are invisible to helpers.
        using (var hidden = await coordinator.GetAsync($"/api/events/{draft}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using (var refused = await coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", NewEvent(Seed.Future(42))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // A second organisation joined after the token was issued is usable with it.
        var second = await fixture.CreateOrganisationAsync();
        using (var before = await coordinator.GetAsync($"/api/orgs/{second}/shifts"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await fixture.PublishAndWaitAsync(new MembershipChanged(id, second, "helper", 101));
        using var after = await coordinator.GetAsync($"/api/orgs/{second}/shifts");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task An_erased_person_gets_401_with_every_token_and_a_late_membership_change_recreates_nothing()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(43), Seed.Future(43, 20));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(43, 12), Seed.Future(43, 14));
        var (id, token) = await fixture.CreateMemberAsync(org);
        using var helper = fixture.Client(token);
        using (var listed = await helper.GetAsync($"/api/orgs/{org}/shifts"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        await fixture.PublishAndWaitAsync(new VolunteerErased(id));
        // A membership change the erasure overtook arrives afterwards.
        await fixture.PublishAndWaitAsync(new MembershipChanged(id, org, "coordinator", 500));

        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT count(*) FROM erased_volunteers WHERE id = @id", id));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM memberships WHERE volunteer_id = @id", id));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM volunteers WHERE id = @id", id));
        using var fresh = fixture.Client(fixture.Tokens.Mint(id, "Erased", [(org, "coordinator")]));
        foreach (var client in new[] { helper, fresh })
        {
            foreach (var response in new[]
            {
                await client.GetAsync($"/api/orgs/{org}/shifts"),
                await client.PostAsync($"/api/shifts/{shiftId}/claims", null),
                await client.GetAsync("/api/me/shifts"),
                await client.GetAsync($"/api/events/{eventId}"),
            })
            {
                using (response)
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
                }
            }
        }

        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM claims WHERE volunteer_id = @id", id));
    }
}
