using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Members;

[Collection(nameof(VolunteersCollection))]
public sealed class MembersTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_coordinator_invites_a_helper_who_is_registered_and_qualified_once_they_confirm()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "first-aid", "driver");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator", "Clara Coordinator");
        var email = $"new-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members",
            new { name = "Nora Neu", email, qualifications = new[] { "first-aid", "driver", "first-aid" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/orgs/{org}/members/invitations", response.Headers.Location?.OriginalString);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        var invitation = Assert.Single(await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => m.Email == email)).Message; // the invitation
        Assert.Equal("Clara Coordinator", invitation.RequestedBy);
        Assert.Equal("Nora Neu", invitation.Name);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @e", ("e", email)));

        var id = (await fixture.ConfirmMembershipAsync(email, org)).GetProperty("volunteerId").GetGuid();

        var member = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/members/{id}"), HttpStatusCode.OK);
        Assert.Equal("Nora Neu", member.GetProperty("name").GetString());
        Assert.Equal(email, member.GetProperty("email").GetString());
        Assert.Equal("helper", member.GetProperty("role").GetString());
        Assert.Equal(["driver", "first-aid"], member.GetProperty("qualifications").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(fixture.Received<VolunteerRegistered>(m => m.VolunteerId == id));
        Assert.Equal("helper", Assert.Single(await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == id)).Message.Role);
        var qualifications = Assert.Single(await fixture.ReceivedAsync<QualificationsChanged>(m => m.VolunteerId == id)).Message;
        Assert.Equal(org, qualifications.Org);
        Assert.Equal(["driver", "first-aid"], qualifications.Codes);
    }

    [Fact]
    public async Task A_coordinator_cannot_add_a_coordinator_but_an_org_admin_can()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var admin = await fixture.AddMemberAsync(org, "admin");
        var email = $"c-{Guid.NewGuid():N}@example.org";

        using (var client = fixture.Client(coordinator.Token))
        {
            using var refused = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "C", email, role = "coordinator" });
            await Problems.AssertForbiddenAsync(refused);
            using var admins = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "C", email, role = "admin" });
            await Problems.AssertForbiddenAsync(admins);
        }

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @e", ("e", email)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE email = @e", ("e", email)));

        using (var client = fixture.Client(admin.Token))
        {
            using var added = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "C", email, role = "coordinator" });
            Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
            var member = await fixture.ConfirmMembershipAsync(email, org);
            Assert.Equal("coordinator", member.GetProperty("role").GetString());
        }
    }

    [Theory]
    [InlineData("helper")]
    [InlineData(null)]
    public async Task A_helper_or_a_stranger_cannot_add_members(string? role)
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var caller = role is null ? await fixture.AddMemberAsync(other, "admin") : await fixture.AddMemberAsync(org, role);
        using var client = fixture.Client(caller.Token);

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "X", email = $"x-{Guid.NewGuid():N}@example.org" });

        await Problems.AssertForbiddenAsync(response);
    }

    [Fact]
    public async Task Adding_an_existing_member_again_answers_as_for_a_stranger_and_mails_them_a_note()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Again", email = helper.Email.ToUpperInvariant() });
        using var stranger = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "New", email = $"s-{Guid.NewGuid():N}@example.org" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(stranger.StatusCode, response.StatusCode);
        Assert.Equal(await stranger.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
        Assert.Equal(stranger.Headers.Location, response.Headers.Location);
        var note = await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => string.Equals(m.Email, helper.Email, StringComparison.OrdinalIgnoreCase) && m.Link is null);
        Assert.Equal(org, Assert.Single(note).Message.Org);
    }

    [Fact]
    public async Task Adding_a_member_with_an_unknown_qualification_gets_400_and_adds_nobody()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var email = $"q-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Q", email, qualifications = new[] { "astronaut" } });

        await Problems.AssertValidationAsync(response, "qualifications");
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @e", ("e", email)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE email = @e", ("e", email)));
    }

    [Fact]
    public async Task The_member_list_pages_by_name_with_a_cursor_and_shows_contact_details()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator", "Zoe Coordinator");
        foreach (var name in new[] { "anna", "Bert", "Carla", "dieter", "Emil" })
        {
            await fixture.AddMemberAsync(org, "helper", name);
        }

        using var client = fixture.Client(coordinator.Token);
        var names = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Problems.JsonAsync(
                await client.GetAsync($"/api/orgs/{org}/members?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"), HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            Assert.All(items, i => Assert.EndsWith("@example.org", i.GetProperty("email").GetString(), StringComparison.Ordinal));
            names.AddRange(items.Select(i => i.GetProperty("name").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["anna", "Bert", "Carla", "dieter", "Emil", "Zoe Coordinator"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task The_member_list_searches_by_name_and_filters_by_qualification()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "awareness", "bar");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator", "Coordinator");
        await fixture.AddMemberAsync(org, "helper", "Maria Schmidt", "awareness");
        await fixture.AddMemberAsync(org, "helper", "Marius Weber", "bar");
        await fixture.AddMemberAsync(org, "helper", "Jonas Maier", "awareness", "bar");
        await fixture.AddMemberAsync(org, "helper", "100%_sure");
        using var client = fixture.Client(coordinator.Token);

        Assert.Equal(["Maria Schmidt", "Marius Weber"], await NamesAsync(client, $"/api/orgs/{org}/members?search=MARI"));
        Assert.Equal(["Jonas Maier", "Maria Schmidt"], await NamesAsync(client, $"/api/orgs/{org}/members?qualification=awareness"));
        Assert.Equal(["Jonas Maier"], await NamesAsync(client, $"/api/orgs/{org}/members?qualification=bar&search=ai"));
        Assert.Equal(["100%_sure"], await NamesAsync(client, $"/api/orgs/{org}/members?search=%25_"));
        Assert.Empty(await NamesAsync(client, $"/api/orgs/{org}/members?search=_%25"));
    }

    [Fact]
    public async Task Each_coordinator_read_of_contact_details_is_written_to_the_audit_log()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(coordinator.Token);

        (await client.GetAsync($"/api/orgs/{org}/members")).Dispose();
        (await client.GetAsync($"/api/orgs/{org}/members?search=Member")).Dispose();
        (await client.GetAsync($"/api/orgs/{org}/members/{helper.Id}")).Dispose();

        await using var command = fixture.Db.CreateCommand("""
            SELECT l.action, l.member_count FROM contact_access_log l JOIN organisations o ON o.id = l.org_id
            WHERE l.accessor_id = @me AND o.slug = @org ORDER BY l.id
            """);
        command.Parameters.AddWithValue("me", coordinator.Id);
        command.Parameters.AddWithValue("org", org);
        var rows = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        Assert.Equal([("list", 2), ("search", 2), ("read", 1)], rows);
    }

    [Fact]
    public async Task A_helper_cannot_see_the_member_list_and_nothing_is_logged()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(helper.Token);

        using var list = await client.GetAsync($"/api/orgs/{org}/members");
        using var one = await client.GetAsync($"/api/orgs/{org}/members/{helper.Id}");

        await Problems.AssertForbiddenAsync(list);
        await Problems.AssertForbiddenAsync(one);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM contact_access_log WHERE accessor_id = @id", ("id", helper.Id)));
    }

    [Fact]
    public async Task A_coordinator_of_another_organisation_cannot_see_the_member_list()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var stranger = await fixture.AddMemberAsync(other, "coordinator");
        using var client = fixture.Client(stranger.Token);

        await Problems.AssertForbiddenAsync(await client.GetAsync($"/api/orgs/{org}/members"));
    }

    [Fact]
    public async Task The_member_list_needs_a_login()
    {
        var org = await fixture.CreateOrganisationAsync();
        using var client = fixture.Client();

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync($"/api/orgs/{org}/members"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=garbage!", "cursor")]
    [InlineData("cursor=AAAA", "cursor")]
    [InlineData("qualification=Not%20A%20Code", "qualification")]
    [InlineData("search=%00", "search")]
    public async Task Bad_member_list_parameters_get_400(string query, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.GetAsync($"/api/orgs/{org}/members?{query}");

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task A_search_longer_than_100_characters_gets_400()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client(coordinator.Token);

        await Problems.AssertValidationAsync(await client.GetAsync($"/api/orgs/{org}/members?search={new string('x', 101)}"), "search");
    }

    [Fact]
    public async Task An_org_admin_changes_a_role_and_MembershipChanged_is_published()
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(admin.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/role", new { role = "coordinator" });

        var membership = await Problems.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("coordinator", membership.GetProperty("role").GetString());
        var changes = await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == helper.Id, 2);
        Assert.Equal(["helper", "coordinator"], changes.Select(c => c.Message.Role));

        // The next login carries the new role.
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await fixture.LoginAsync(helper.Email));
        Assert.Equal([$"{org}:coordinator"], jwt.Claims.Where(c => c.Type == "mem").Select(c => c.Value));
    }

    [Fact]
    public async Task A_coordinator_cannot_change_roles()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/role", new { role = "coordinator" });

        await Problems.AssertForbiddenAsync(response);
    }

    [Fact]
    public async Task The_last_admin_cannot_step_down_but_one_of_two_can()
    {
        var org = await fixture.CreateOrganisationAsync();
        var first = await fixture.AddMemberAsync(org, "admin");
        using var client = fixture.Client(first.Token);

        using var alone = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{first.Id}/role", new { role = "helper" });
        await Problems.AssertAsync(alone, HttpStatusCode.Conflict, "last-admin");

        await fixture.AddMemberAsync(org, "admin");
        using var together = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{first.Id}/role", new { role = "helper" });
        Assert.Equal(HttpStatusCode.OK, together.StatusCode);
    }

    [Theory]
    [InlineData("{\"role\": \"boss\"}", "role")]
    [InlineData("{}", "role")]
    [InlineData("{\"role\": 3}", "role")]
    public async Task An_invalid_role_gets_400(string body, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(admin.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PutAsync($"/api/orgs/{org}/members/{helper.Id}/role", content);

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task Changing_the_role_of_someone_who_is_not_a_member_gets_404()
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        using var client = fixture.Client(admin.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{Guid.NewGuid()}/role", new { role = "helper" });

        await Problems.AssertNotFoundAsync(response);
    }

    [Fact]
    public async Task The_platform_admin_appoints_the_first_admin_of_a_new_organisation()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"first-admin-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client(await fixture.AdminTokenAsync());

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Erste Admin", email, role = "admin" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var member = await fixture.ConfirmMembershipAsync(email, org);
        Assert.Equal("admin", member.GetProperty("role").GetString());
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string url)
    {
        var page = await Problems.JsonAsync(await client.GetAsync(url), HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Where(n => n != "Coordinator").ToList();
    }
}
