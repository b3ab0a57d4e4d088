using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Access;

/// <summary>
/// The notifications service decides who may read an organisation's delivery log from its replica
/// of memberships, not from the token: a demotion, a new membership and an erasure count with the
/// token the person already holds, and membership changes delivered out of order leave the newest in place.
/// </summary>
[Collection(nameof(NotificationsCollection))]
public sealed class AccessFromReplicaTests(NotificationsFixture fixture)
{
    private async Task<string> RoleInReplicaAsync(Guid id, string org)
    {
        await using var command = fixture.Db.CreateCommand("SELECT role FROM memberships WHERE volunteer_id = @id AND org = @org");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", org);
        return (string?)await command.ExecuteScalarAsync() ?? "none";
    }

    private async Task<HttpStatusCode> DeliveriesAsync(HttpClient client, string org)
    {
        using var response = await client.GetAsync($"/api/orgs/{org}/deliveries");
        return response.StatusCode;
    }

    [Fact]
    public async Task Two_changes_of_one_membership_delivered_out_of_order_leave_the_newer_in_place()
    {
        var org = await fixture.CreateOrganisationAsync();
        var person = await fixture.CreateVolunteerAsync("de");
        using var client = fixture.Client(fixture.Tokens.Mint(person.Id, person.Name, [(org, "coordinator")]));

        // Demoted (version 21) after being made coordinator (version 20), but the demotion arrives first.
        await fixture.PublishAndWaitAsync(new MembershipChanged(person.Id, org, "helper", 21));
        await fixture.PublishAndWaitAsync(new MembershipChanged(person.Id, org, "coordinator", 20));

        Assert.Equal("helper", await RoleInReplicaAsync(person.Id, org));
        Assert.Equal(HttpStatusCode.Forbidden, await DeliveriesAsync(client, org));

        // Promoted (version 22), then removed (version 24); a promotion of version 23 arrives last.
        await fixture.PublishAndWaitAsync(new MembershipChanged(person.Id, org, "coordinator", 22));
        Assert.Equal(HttpStatusCode.OK, await DeliveriesAsync(client, org));
        await fixture.PublishAndWaitAsync(new MembershipChanged(person.Id, org, null, 24));
        await fixture.PublishAndWaitAsync(new MembershipChanged(person.Id, org, "admin", 23));

        Assert.Equal("none", await RoleInReplicaAsync(person.Id, org));
        Assert.Equal(24, await fixture.CountAsync("SELECT version FROM membership_versions WHERE volunteer_id = @p", person.Id));
        Assert.Equal(HttpStatusCode.Forbidden, await DeliveriesAsync(client, org));
    }

    [Fact]
    public async Task A_demotion_takes_effect_with_the_token_already_held_and_a_new_membership_without_a_new_one()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        using var client = fixture.Client(fixture.Tokens.Mint(coordinator.Id, coordinator.Name, [(org, "coordinator")]));
        Assert.Equal(HttpStatusCode.OK, await DeliveriesAsync(client, org));

        await fixture.PublishAndWaitAsync(new MembershipChanged(coordinator.Id, org, "helper", 100));
        Assert.Equal(HttpStatusCode.Forbidden, await DeliveriesAsync(client, org));

        // Coordinator of a second organisation, which the token knows nothing of.
        var second = await fixture.CreateOrganisationAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await DeliveriesAsync(client, second));
        await fixture.PublishAndWaitAsync(new MembershipChanged(coordinator.Id, second, "coordinator", 101));
        Assert.Equal(HttpStatusCode.OK, await DeliveriesAsync(client, second));
    }

    [Fact]
    public async Task An_erased_person_gets_401_with_every_token()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        using var held = fixture.Client(fixture.Tokens.Mint(coordinator.Id, coordinator.Name, [(org, "coordinator")]));
        Assert.Equal(HttpStatusCode.OK, await DeliveriesAsync(held, org));

        await fixture.PublishAndWaitAsync(new VolunteerErased(coordinator.Id));
        await fixture.PublishAndWaitAsync(new MembershipChanged(coordinator.Id, org, "coordinator", 300));

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @p", coordinator.Id));
        using var fresh = fixture.Client(fixture.Tokens.Mint(coordinator.Id, coordinator.Name, [(org, "admin")]));
        foreach (var client in new[] { held, fresh })
        {
            foreach (var path in new[] { $"/api/orgs/{org}/deliveries", "/api/me/notifications" })
            {
                using var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
            }
        }
    }
}
