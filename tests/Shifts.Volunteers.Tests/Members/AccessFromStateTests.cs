using System.Net;
using System.Net.Http.Json;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Members;

/// <summary>
/// The volunteers service authorises from its own memberships and volunteers rows, not from the
/// token: a role change counts with the token already held, a new membership without a new login,
/// an erased person's tokens are refused, and a platform-admin claim the database does not back is
/// worth nothing. Every MembershipChanged carries a version that grows per membership.
/// </summary>
[Collection(nameof(VolunteersCollection))]
public sealed class AccessFromStateTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_demoted_coordinators_token_loses_the_member_list_at_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var asCoordinator = fixture.Client(coordinator.Token);
        using (var before = await asCoordinator.GetAsync($"/api/orgs/{org}/members"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var asAdmin = fixture.Client(admin.Token);
        using (var demoted = await asAdmin.PutAsJsonAsync($"/api/orgs/{org}/members/{coordinator.Id}/role", new { role = "helper" }))
        {
            Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        }

        await Problems.AssertForbiddenAsync(await asCoordinator.GetAsync($"/api/orgs/{org}/members"));
        await Problems.AssertForbiddenAsync(await asCoordinator.GetAsync($"/api/orgs/{org}/members/{admin.Id}"));
    }

    [Fact]
    public async Task A_person_added_to_a_second_organisation_uses_it_with_the_token_from_before()
    {
        var first = await fixture.CreateOrganisationAsync();
        var second = await fixture.CreateOrganisationAsync();
        var person = await fixture.AddMemberAsync(first, "coordinator");
        var token = await fixture.LoginAsync(person.Email);
        using var client = fixture.Client(token);
        await Problems.AssertForbiddenAsync(await client.GetAsync($"/api/orgs/{second}/members"));

        using (var admin = fixture.Client(await fixture.AdminTokenAsync()))
        using (var added = await admin.PostAsJsonAsync($"/api/orgs/{second}/members", new { name = person.Name, email = person.Email, role = "coordinator" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        }

        // Pending until the person clicks: the old token is still refused there, then allowed.
        await Problems.AssertForbiddenAsync(await client.GetAsync($"/api/orgs/{second}/members"));
        await fixture.ConfirmMembershipAsync(person.Email, second);

        using var members = await client.GetAsync($"/api/orgs/{second}/members");
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
    }

    [Fact]
    public async Task An_erased_persons_tokens_get_401_everywhere()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var loggedIn = await fixture.LoginAsync(coordinator.Email);
        using (var erase = fixture.Client(coordinator.Token))
        using (var erased = await erase.DeleteAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        }

        foreach (var token in new[] { coordinator.Token, loggedIn })
        {
            using var client = fixture.Client(token);
            await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
            await Problems.AssertUnauthenticatedAsync(await client.GetAsync($"/api/orgs/{org}/members"));
            await Problems.AssertUnauthenticatedAsync(await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Neu", email = $"n-{Guid.NewGuid():N}@example.org" }));
            // Even where anonymous callers are welcome, the token of someone gone is not quietly "anonymous".
            await Problems.AssertUnauthenticatedAsync(await client.GetAsync($"/api/orgs/{org}"));
        }
    }

    [Fact]
    public async Task A_platform_admin_claim_the_database_does_not_back_creates_no_organisation()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(fixture.Tokens.Mint(helper.Id, helper.Name, [(org, "admin")], platformAdmin: true));

        await Problems.AssertForbiddenAsync(await client.PostAsJsonAsync("/api/orgs", new { slug = $"x-{Guid.NewGuid():N}"[..20], name = "Nope", timeZone = "Europe/Berlin" }));
        await Problems.AssertForbiddenAsync(await client.PatchAsJsonAsync($"/api/orgs/{org}", new { name = "Taken over" }));
        await Problems.AssertForbiddenAsync(await client.GetAsync($"/api/orgs/{org}/members"));
    }

    [Fact]
    public async Task Every_change_of_a_membership_carries_a_greater_version()
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        var person = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(admin.Token);
        foreach (var role in new[] { "coordinator", "helper", "admin" })
        {
            using var changed = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{person.Id}/role", new { role });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        var changes = await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == person.Id, 4);
        Assert.Equal(["helper", "coordinator", "helper", "admin"], changes.Select(c => c.Message.Role));
        var versions = changes.Select(c => c.Message.Version).ToList();
        Assert.All(versions, v => Assert.True(v > 0, $"version {v}"));
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}
