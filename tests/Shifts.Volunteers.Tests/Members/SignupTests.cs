using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Members;

[Collection(nameof(VolunteersCollection))]
public sealed class SignupTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task Signup_mails_a_confirmation_link_and_only_the_click_makes_the_person_a_helper_with_a_session()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"Lena-{Guid.NewGuid():N}@Example.org";
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = " Lena Berg ", email, locale = "en" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => m.Email == email)).Message;
        Assert.Equal("Lena Berg", request.Name);
        Assert.Equal("en", request.Locale);
        Assert.Equal(org, request.Org);
        Assert.Equal($"Organisation {org}", request.OrgName);
        Assert.Null(request.RequestedBy); // a sign-up of one's own
        Assert.StartsWith("http://localhost:8080/join/confirm?token=", request.Link!.ToString(), StringComparison.Ordinal);
        Assert.InRange(request.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));

        // Nobody exists, nobody is a member and no login link went out before the click.
        Assert.Empty(fixture.Received<VolunteerRegistered>(m => m.Email == email));
        Assert.Empty(fixture.Received<LoginLinkRequested>(m => m.Email == email));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE lower(email) = lower(@e)", ("e", email)));

        var confirmed = await fixture.ConfirmAsync(VolunteersFixture.TokenOf(request.Link!));

        var registered = Assert.Single(await fixture.ReceivedAsync<VolunteerRegistered>(m => m.Email == email)).Message;
        Assert.Equal("Lena Berg", registered.Name);
        Assert.Equal("en", registered.Locale);
        Assert.Equal(registered.VolunteerId, confirmed.GetProperty("volunteerId").GetGuid());
        Assert.Equal(org, confirmed.GetProperty("org").GetString());
        Assert.Equal("helper", confirmed.GetProperty("role").GetString());
        var membership = Assert.Single(await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == registered.VolunteerId)).Message;
        Assert.Equal(org, membership.Org);
        Assert.Equal("helper", membership.Role);

        // A new person's confirmation is their first login, as POST /api/auth/sessions would answer.
        var session = confirmed.GetProperty("session");
        Assert.Equal("Bearer", session.GetProperty("tokenType").GetString());
        Assert.Equal(10 * 60, session.GetProperty("expiresIn").GetInt32());
        Assert.Equal(43, session.GetProperty("refreshToken").GetString()!.Length);
        using (var first = fixture.Client(session.GetProperty("accessToken").GetString()))
        {
            var mine = await Problems.JsonAsync(await first.GetAsync("/api/me"), HttpStatusCode.OK);
            Assert.Equal(org, mine.GetProperty("memberships")[0].GetProperty("org").GetString());
        }

        // A login link logs the new helper in, as a helper of the organisation.
        var accessToken = await fixture.LoginAsync(email.ToUpperInvariant());
        using var me = fixture.Client(accessToken);
        var profile = await Problems.JsonAsync(await me.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal(org, profile.GetProperty("memberships")[0].GetProperty("org").GetString());
        Assert.Equal("helper", profile.GetProperty("memberships")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Signing_up_again_as_a_member_adds_nothing_twice_and_mails_a_note_instead_of_a_link()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"twice-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();
        await fixture.SignUpAndConfirmAsync(org, email, "Tom");

        using var second = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Someone Else", email = email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        // Each request's mail is its transaction's last event: once both arrived, everything else has.
        var requests = await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase), 2);
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[1].Message.Link); // "you are a member already"
        await Task.Delay(200);
        var registered = Assert.Single(fixture.Received<VolunteerRegistered>(m => m.Email == email)).Message;
        Assert.Equal("Tom", registered.Name); // the second form does not rename the person
        Assert.Single(fixture.Received<MembershipChanged>(m => m.VolunteerId == registered.VolunteerId));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE lower(email) = lower(@e)", ("e", email)));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @id", ("id", registered.VolunteerId)));
    }

    [Fact]
    public async Task Signing_up_twice_before_confirming_replaces_the_pending_request_and_its_link()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"pending-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();

        using var first = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Tom", email });
        using var second = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Tom Berg", email = email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstToken = await fixture.ConfirmationTokenAsync(email, org, 1);
        var secondToken = await fixture.ConfirmationTokenAsync(email, org, 2);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE lower(email) = lower(@e)", ("e", email)));
        using var anon = fixture.Client();
        await Problems.AssertAsync(await anon.PostAsJsonAsync("/api/memberships/confirm", new { token = firstToken }), HttpStatusCode.Gone, "confirmation-invalid");

        await fixture.ConfirmAsync(secondToken);

        var registered = Assert.Single(await fixture.ReceivedAsync<VolunteerRegistered>(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase))).Message;
        Assert.Equal("Tom Berg", registered.Name); // the pending request was replaced, not piled up
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM membership_requests WHERE lower(email) = lower(@e)", ("e", email)));
    }

    [Fact]
    public async Task Signup_by_an_existing_coordinator_keeps_their_role_and_answers_the_same()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "X", email = coordinator.Email });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var note = await fixture.ReceivedAsync<MembershipConfirmationRequested>(m => m.Email == coordinator.Email && m.Link is null);
        Assert.Equal(org, Assert.Single(note).Message.Org);
        Assert.Equal("coordinator", await RoleAsync(coordinator.Id));
    }

    [Fact]
    public async Task Signup_for_another_organisation_adds_a_second_membership_to_the_same_person()
    {
        var first = await fixture.CreateOrganisationAsync();
        var second = await fixture.CreateOrganisationAsync();
        var email = $"two-orgs-{Guid.NewGuid():N}@example.org";

        var one = await fixture.SignUpAndConfirmAsync(first, email, "Mia");
        var two = await fixture.SignUpAndConfirmAsync(second, email, "Mia");

        var id = one.GetProperty("volunteerId").GetGuid();
        Assert.Equal(id, two.GetProperty("volunteerId").GetGuid());
        Assert.Equal(JsonValueKind.Null, two.GetProperty("session").ValueKind); // a known person logs in as ever
        Assert.Equal(2, (await fixture.ReceivedAsync<MembershipChanged>(m => m.VolunteerId == id, 2)).Count);
    }

    [Fact]
    public async Task Signup_for_an_unknown_organisation_gets_404()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/api/orgs/no-such-org/signup", new { name = "X", email = "x@example.org" });

        await Problems.AssertNotFoundAsync(response);
    }

    [Theory]
    [InlineData("{\"email\": \"a@example.org\"}", "name")]
    [InlineData("{\"name\": \"A\", \"email\": \"not an address\"}", "email")]
    [InlineData("{\"name\": \"A\", \"email\": \"a@example.org\", \"locale\": \"fr\"}", "locale")]
    [InlineData("{\"name\": \"A\\u0000B\", \"email\": \"a@example.org\"}", "name")]
    [InlineData("{\"name\": [\"A\"], \"email\": \"a@example.org\"}", "name")]
    [InlineData("not json", "body")]
    public async Task An_invalid_signup_gets_400_naming_the_field(string body, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        using var client = fixture.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync($"/api/orgs/{org}/signup", content);

        await Problems.AssertValidationAsync(response, field);
    }

    private async Task<string?> RoleAsync(Guid volunteerId)
    {
        await using var command = fixture.Db.CreateCommand("SELECT role FROM memberships WHERE volunteer_id = @id");
        command.Parameters.AddWithValue("id", volunteerId);
        return (string?)await command.ExecuteScalarAsync();
    }
}
