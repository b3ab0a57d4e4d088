using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Consent;

/// <summary>
/// Double opt-in: nobody becomes a member of an organisation (special-category data: a party's
/// membership list) by someone else typing their address; nothing tells the caller whether an
/// address is known or a member; and the person can leave, be removed, and change their address.
/// </summary>
[Collection(nameof(VolunteersCollection))]
public sealed class ConsentTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_strangers_sign_up_of_your_address_shows_up_nowhere_until_you_click()
    {
        var org = await fixture.CreateOrganisationAsync();
        var elsewhere = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var you = await fixture.AddMemberAsync(elsewhere, "helper", "You Yourself");
        var loginLinksBefore = fixture.Received<LoginLinkRequested>(m => m.Email == you.Email).Count;
        using var anonymous = fixture.Client();

        using var signup = await anonymous.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Typed By A Stranger", email = you.Email });

        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        var token = await fixture.ConfirmationTokenAsync(you.Email, org);
        using var coordinatorClient = fixture.Client(coordinator.Token);
        using var yourClient = fixture.Client(you.Token);
        Assert.DoesNotContain(you.Id, await MemberIdsAsync(coordinatorClient, org));
        Assert.DoesNotContain(org, await MyOrgsAsync(yourClient));
        Assert.Empty(await InvitationsAsync(coordinatorClient, org)); // a sign-up is not the organisation's to see
        Assert.Equal(loginLinksBefore, fixture.Received<LoginLinkRequested>(m => m.Email == you.Email).Count);
        Assert.Equal(0, await fixture.CountAsync(
            "SELECT count(*) FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.volunteer_id = @id AND o.slug = @org", ("id", you.Id), ("org", org)));

        var confirmed = await fixture.ConfirmAsync(token);

        Assert.Equal(you.Id, confirmed.GetProperty("volunteerId").GetGuid());
        Assert.Equal(JsonValueKind.Null, confirmed.GetProperty("session").ValueKind);
        Assert.Contains(you.Id, await MemberIdsAsync(coordinatorClient, org));
        Assert.Contains(org, await MyOrgsAsync(yourClient));
        var member = await Problems.JsonAsync(await coordinatorClient.GetAsync($"/api/orgs/{org}/members/{you.Id}"), HttpStatusCode.OK);
        Assert.Equal("You Yourself", member.GetProperty("name").GetString()); // the typed name renames nobody
    }

    [Fact]
    public async Task Sign_up_and_add_member_answer_the_same_for_unknown_known_and_member_addresses()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var member = await fixture.AddMemberAsync(org);
        var known = await fixture.AddMemberAsync(other);
        await SetPhoneAsync(known, "+49 30 1234567");
        await SetPhoneAsync(member, "+49 30 7654321");
        var addresses = new[] { $"unknown-{Guid.NewGuid():N}@example.org", known.Email, member.Email };
        using var anonymous = fixture.Client();
        using var coordinatorClient = fixture.Client(coordinator.Token);

        foreach (var (client, path) in new[] { (anonymous, $"/api/orgs/{org}/signup"), (coordinatorClient, $"/api/orgs/{org}/members") })
        {
            var answers = new List<string>();
            foreach (var email in addresses)
            {
                using var response = await client.PostAsJsonAsync(path, new { name = "Somebody", email });
                var body = await response.Content.ReadAsStringAsync();
                answers.Add($"{(int)response.StatusCode} {response.Headers.Location} {response.Content.Headers.ContentType} [{body}]");
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                foreach (var secret in new[] { known.Name, known.Id.ToString(), "1234567", member.Name, member.Id.ToString(), "7654321" })
                {
                    Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
                }
            }

            Assert.Single(answers.Distinct());
        }

        // The coordinator's invitations list shows the three the same way: as typed, pending.
        var invitations = await InvitationsAsync(coordinatorClient, org);
        Assert.Equal(addresses.Order(StringComparer.Ordinal), invitations.Select(i => i.GetProperty("email").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(invitations, i => Assert.Equal("Somebody", i.GetProperty("name").GetString()));
        Assert.All(invitations, i => Assert.Equal("pending", i.GetProperty("state").GetString()));
        Assert.All(invitations, i => Assert.False(i.TryGetProperty("phone", out _) || i.TryGetProperty("volunteerId", out _)));
    }

    [Fact]
    public async Task A_coordinator_adding_an_address_from_another_organisation_learns_nothing_and_enrols_nobody_until_they_confirm()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "first-aid");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator", "Carla Coordinator");
        var person = await fixture.AddMemberAsync(other, "helper", "Stored Name");
        await SetPhoneAsync(person, "+49 40 555000");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Typed Name", email = person.Email, qualifications = new[] { "first-aid" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        var invitation = Assert.Single(await InvitationsAsync(client, org));
        Assert.Equal("Typed Name", invitation.GetProperty("name").GetString());
        Assert.Equal(person.Email, invitation.GetProperty("email").GetString());
        Assert.Equal("helper", invitation.GetProperty("role").GetString());
        Assert.Equal(["first-aid"], invitation.GetProperty("qualifications").EnumerateArray().Select(q => q.GetString()));
        Assert.DoesNotContain("555000", invitation.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Stored Name", invitation.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(person.Id.ToString(), invitation.GetRawText(), StringComparison.OrdinalIgnoreCase);
        await Problems.AssertNotFoundAsync(await client.GetAsync($"/api/orgs/{org}/members/{person.Id}"));
        var mail = Assert.Single(await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => m.Email == person.Email && m.Org == org)).Message;
        Assert.Equal("Carla Coordinator", mail.RequestedBy);
        Assert.Equal($"Organisation {org}", mail.OrgName);

        await fixture.ConfirmMembershipAsync(person.Email, org);

        var member = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/members/{person.Id}"), HttpStatusCode.OK);
        Assert.Equal("Stored Name", member.GetProperty("name").GetString());
        Assert.Equal(["first-aid"], member.GetProperty("qualifications").EnumerateArray().Select(q => q.GetString()));
        Assert.Empty(await InvitationsAsync(client, org)); // done: the request is gone with the click
    }

    [Fact]
    public async Task A_confirmation_token_works_once_and_bad_tokens_get_410_confirmation_invalid()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"once-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();
        (await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Once", email })).Dispose();
        var token = await fixture.ConfirmationTokenAsync(email, org);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsJsonAsync("/api/memberships/confirm", new { token })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var rejected in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            var problem = await Problems.AssertAsync(rejected, HttpStatusCode.Gone, "confirmation-invalid");
            Assert.Contains("invalid, used or expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        await Problems.AssertAsync(await client.PostAsJsonAsync("/api/memberships/confirm", new { token = new string('A', 43) }), HttpStatusCode.Gone, "confirmation-invalid");
        await Problems.AssertAsync(await client.PostAsJsonAsync("/api/memberships/confirm", new { token = "short" }), HttpStatusCode.Gone, "confirmation-invalid");
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @e", ("e", email)));
    }

    [Theory]
    [InlineData("/api/memberships/confirm", "{}", 400)]
    [InlineData("/api/memberships/confirm", "{\"token\": \"\"}", 400)]
    [InlineData("/api/memberships/confirm", "{\"token\": 42}", 400)]
    [InlineData("/api/memberships/confirm", "{\"token\": [\"x\"]}", 400)]
    [InlineData("/api/memberships/confirm", "not json", 400)]
    [InlineData("/api/memberships/confirm", "{\"token\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\"}", 410)]
    [InlineData("/api/memberships/confirm", "{\"token\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\u0000AA\"}", 400)]
    [InlineData("/api/me/email/confirm", "{}", 400)]
    [InlineData("/api/me/email/confirm", "{\"token\": 42}", 400)]
    [InlineData("/api/me/email/confirm", "{\"token\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\"}", 410)]
    public async Task Bad_confirmation_requests_get_a_problem_never_a_500(string path, string body, int status)
    {
        using var client = fixture.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(path, content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_coordinator_withdraws_an_invitation_and_its_link_stops_working()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);
        var email = $"withdrawn-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client(coordinator.Token);
        (await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Wanda", email })).Dispose();
        var token = await fixture.ConfirmationTokenAsync(email, org);
        var id = Assert.Single(await InvitationsAsync(client, org)).GetProperty("id").GetGuid();
        using (var helperClient = fixture.Client(helper.Token))
        {
            await Problems.AssertForbiddenAsync(await helperClient.GetAsync($"/api/orgs/{org}/members/invitations"));
            await Problems.AssertForbiddenAsync(await helperClient.DeleteAsync($"/api/orgs/{org}/members/invitations/{id}"));
        }

        using var withdrawn = await client.DeleteAsync($"/api/orgs/{org}/members/invitations/{id}");

        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        Assert.Empty(await InvitationsAsync(client, org));
        await Problems.AssertNotFoundAsync(await client.DeleteAsync($"/api/orgs/{org}/members/invitations/{id}"));
        using var anonymous = fixture.Client();
        await Problems.AssertAsync(await anonymous.PostAsJsonAsync("/api/memberships/confirm", new { token }), HttpStatusCode.Gone, "confirmation-invalid");
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @e", ("e", email)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE email = @e", ("e", email)));
        Assert.Equal(2, await fixture.CountAsync(
            "SELECT count(*) FROM contact_access_log WHERE accessor_id = @id AND action = 'invitations'", ("id", coordinator.Id))); // two reads, both logged
    }

    [Fact]
    public async Task A_helper_leaves_and_the_membership_goes_with_its_qualifications_everywhere()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "bar");
        var helper = await fixture.AddMemberAsync(org, "helper", "Leaving Lisa", "bar");
        using var client = fixture.Client(helper.Token);

        using var left = await client.DeleteAsync($"/api/orgs/{org}/members/me");

        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        var ended = Assert.Single(await fixture.ReceivedAsync<MembershipEnded>(m => m.VolunteerId == helper.Id)).Message;
        Assert.Equal(("left", org, helper.Email, "Leaving Lisa"), (ended.Reason, ended.Org, ended.Email, ended.Name));
        var changes = await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == helper.Id, 2);
        Assert.Equal(new string?[] { "helper", null }, changes.Select(c => c.Message.Role));
        Assert.Empty((await fixture.ReceivedAsync<QualificationsChanged>(m => m.VolunteerId == helper.Id, 2))[^1].Message.Codes);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM member_qualifications WHERE volunteer_id = @id", ("id", helper.Id)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @id", ("id", helper.Id)));
        Assert.DoesNotContain(org, await MyOrgsAsync(client));
        await Problems.AssertNotFoundAsync(await client.DeleteAsync($"/api/orgs/{org}/members/me"));
        using var anonymous = fixture.Client();
        await Problems.AssertUnauthenticatedAsync(await anonymous.DeleteAsync($"/api/orgs/{org}/members/me"));
    }

    [Fact]
    public async Task Coordinators_remove_helpers_only_admins_remove_coordinators_and_the_person_is_told()
    {
        var org = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(org, "admin");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var other = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org, "helper", "Removed Rolf");
        using var coordinatorClient = fixture.Client(coordinator.Token);
        using (var helperClient = fixture.Client(helper.Token))
        {
            await Problems.AssertForbiddenAsync(await helperClient.DeleteAsync($"/api/orgs/{org}/members/{coordinator.Id}"));
        }

        using var removed = await coordinatorClient.DeleteAsync($"/api/orgs/{org}/members/{helper.Id}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var ended = Assert.Single(await fixture.ReceivedAsync<MembershipEnded>(m => m.VolunteerId == helper.Id)).Message;
        Assert.Equal(("removed", helper.Email, $"Organisation {org}"), (ended.Reason, ended.Email, ended.OrgName));
        Assert.Null((await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == helper.Id, 2))[^1].Message.Role);
        await Problems.AssertNotFoundAsync(await coordinatorClient.GetAsync($"/api/orgs/{org}/members/{helper.Id}"));
        await Problems.AssertNotFoundAsync(await coordinatorClient.DeleteAsync($"/api/orgs/{org}/members/{helper.Id}"));

        await Problems.AssertForbiddenAsync(await coordinatorClient.DeleteAsync($"/api/orgs/{org}/members/{other.Id}"));
        using var adminClient = fixture.Client(admin.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await adminClient.DeleteAsync($"/api/orgs/{org}/members/{other.Id}")).StatusCode);
        Assert.Equal("removed", Assert.Single(await fixture.ReceivedAsync<MembershipEnded>(m => m.VolunteerId == other.Id)).Message.Reason);
    }

    [Fact]
    public async Task The_last_admin_can_neither_leave_nor_be_removed_but_one_of_two_can()
    {
        var org = await fixture.CreateOrganisationAsync();
        var first = await fixture.AddMemberAsync(org, "admin");
        using var client = fixture.Client(first.Token);
        using var platform = fixture.Client(await fixture.AdminTokenAsync());

        await Problems.AssertAsync(await client.DeleteAsync($"/api/orgs/{org}/members/me"), HttpStatusCode.Conflict, "last-admin");
        await Problems.AssertAsync(await client.DeleteAsync($"/api/orgs/{org}/members/{first.Id}"), HttpStatusCode.Conflict, "last-admin");
        await Problems.AssertAsync(await platform.DeleteAsync($"/api/orgs/{org}/members/{first.Id}"), HttpStatusCode.Conflict, "last-admin");
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @id", ("id", first.Id)));

        var second = await fixture.AddMemberAsync(org, "admin");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/orgs/{org}/members/me")).StatusCode);
        using var secondClient = fixture.Client(second.Token);
        await Problems.AssertAsync(await secondClient.DeleteAsync($"/api/orgs/{org}/members/me"), HttpStatusCode.Conflict, "last-admin");
    }

    [Fact]
    public async Task A_new_address_applies_only_when_confirmed_from_it_and_the_old_one_is_told()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org, "helper", "Moving Max");
        var newEmail = $"new-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client(member.Token);

        using var asked = await client.PostAsJsonAsync("/api/me/email", new { email = newEmail });

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var request = Assert.Single(await fixture.ReceivedAsync<EmailChangeRequested>(m => m.VolunteerId == member.Id)).Message;
        Assert.Equal(newEmail, request.NewEmail); // the link goes to the new address only
        Assert.StartsWith("http://localhost:8080/me/email/confirm?token=", request.Link.ToString(), StringComparison.Ordinal);
        var me = await Problems.JsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal(member.Email, me.GetProperty("email").GetString()); // nothing changed yet

        using var anonymous = fixture.Client();
        var confirmed = await Problems.JsonAsync(
            await anonymous.PostAsJsonAsync("/api/me/email/confirm", new { token = VolunteersFixture.TokenOf(request.Link) }), HttpStatusCode.OK);

        Assert.Equal(newEmail, confirmed.GetProperty("email").GetString());
        me = await Problems.JsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal(newEmail, me.GetProperty("email").GetString());
        var profile = Assert.Single(await fixture.ReceivedAsync<VolunteerProfileChanged>(m => m.VolunteerId == member.Id)).Message;
        Assert.Equal(newEmail, profile.Email);
        var notice = Assert.Single(await fixture.ReceivedAsync<EmailChanged>(m => m.VolunteerId == member.Id)).Message;
        Assert.Equal((member.Email, newEmail), (notice.OldEmail, notice.NewEmail));
        await Problems.AssertAsync(await anonymous.PostAsJsonAsync("/api/me/email/confirm", new { token = VolunteersFixture.TokenOf(request.Link) }),
            HttpStatusCode.Gone, "confirmation-invalid");
        await fixture.LoginAsync(newEmail); // logs in with the new address
    }

    [Fact]
    public async Task An_address_of_someone_else_gets_the_same_answer_and_its_confirmation_fails_kindly()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var owner = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(member.Token);

        using var taken = await client.PostAsJsonAsync("/api/me/email", new { email = owner.Email.ToUpperInvariant() });
        using var free = await client.PostAsJsonAsync("/api/me/email", new { email = $"free-{Guid.NewGuid():N}@example.org" });

        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        Assert.Equal(free.StatusCode, taken.StatusCode);
        Assert.Equal(await free.Content.ReadAsStringAsync(), await taken.Content.ReadAsStringAsync());
        var requests = await fixture.ReceivedAsync<EmailChangeRequested>(m => m.VolunteerId == member.Id, 2);
        // The second request replaced the first; ask for the taken one again and confirm it.
        (await client.PostAsJsonAsync("/api/me/email", new { email = owner.Email })).Dispose();
        requests = await fixture.ReceivedAsync<EmailChangeRequested>(m => m.VolunteerId == member.Id, 3);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM email_changes WHERE volunteer_id = @id", ("id", member.Id)));
        using var anonymous = fixture.Client();

        using var confirm = await anonymous.PostAsJsonAsync("/api/me/email/confirm", new { token = VolunteersFixture.TokenOf(requests[2].Message.Link) });

        var problem = await Problems.AssertAsync(confirm, HttpStatusCode.Conflict, "email-taken");
        Assert.Contains("already belongs to another", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var me = fixture.Client(member.Token);
        Assert.Equal(member.Email, (await Problems.JsonAsync(await me.GetAsync("/api/me"), HttpStatusCode.OK)).GetProperty("email").GetString());
        await Problems.AssertValidationAsync(await client.PostAsJsonAsync("/api/me/email", new { email = "not an address" }), "email");
        await Problems.AssertUnauthenticatedAsync(await anonymous.PostAsJsonAsync("/api/me/email", new { email = "x@example.org" }));
    }

    [Fact]
    public async Task Erasing_a_person_erases_the_requests_for_their_address_and_their_name_from_invitations_they_sent()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var person = await fixture.AddMemberAsync(org);
        var invited = $"invited-{Guid.NewGuid():N}@example.org";
        using (var client = fixture.Client(coordinator.Token))
        {
            (await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name = "Invited", email = invited })).Dispose();
        }

        var elsewhere = await fixture.CreateOrganisationAsync();
        using (var anonymous = fixture.Client())
        {
            (await anonymous.PostAsJsonAsync($"/api/orgs/{elsewhere}/signup", new { name = "P", email = person.Email })).Dispose();
        }

        await fixture.ConfirmationTokenAsync(person.Email, elsewhere);
        await fixture.ConfirmationTokenAsync(invited, org);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE lower(email) = lower(@e)", ("e", person.Email)));

        using var personClient = fixture.Client(person.Token);
        using var coordinatorClient = fixture.Client(coordinator.Token);
        Assert.Equal(HttpStatusCode.Accepted, (await personClient.DeleteAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await coordinatorClient.DeleteAsync("/api/me")).StatusCode);

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE lower(email) = lower(@e)", ("e", person.Email)));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE email = @e AND requested_by IS NULL", ("e", invited)));
    }

    private async Task SetPhoneAsync(Member member, string phone)
    {
        using var client = fixture.Client(member.Token);
        (await client.PatchAsJsonAsync("/api/me", new { phone })).EnsureSuccessStatusCode();
    }

    private static async Task<List<Guid>> MemberIdsAsync(HttpClient client, string org)
    {
        var page = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/members"), HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("volunteerId").GetGuid()).ToList();
    }

    private static async Task<List<string>> MyOrgsAsync(HttpClient client)
    {
        var me = await Problems.JsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        return me.GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("org").GetString()!).ToList();
    }

    private static async Task<List<JsonElement>> InvitationsAsync(HttpClient client, string org)
    {
        var list = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/members/invitations"), HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray().ToList();
    }
}
