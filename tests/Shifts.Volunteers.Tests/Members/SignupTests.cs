using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Members;

[Collection(nameof(VolunteersCollection))]
public sealed class SignupTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task Signup_creates_a_helper_membership_and_publishes_the_person_the_membership_and_a_login_link()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"Lena-{Guid.NewGuid():N}@Example.org";
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = " Lena Berg ", email, locale = "en" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var link = Assert.Single(await fixture.ReceivedAsync<LoginLinkRequested>(m => m.Email == email)).Message;
        var registered = Assert.Single(fixture.Received<VolunteerRegistered>(m => m.Email == email)).Message;
        Assert.Equal("Lena Berg", registered.Name);
        Assert.Equal("en", registered.Locale);
        Assert.Equal(registered.VolunteerId, link.VolunteerId);
        Assert.StartsWith("http://localhost:8080/login?token=", link.Link.ToString(), StringComparison.Ordinal);
        var membership = Assert.Single(fixture.Received<MembershipChanged>(m => m.VolunteerId == registered.VolunteerId)).Message;
        Assert.Equal(org, membership.Org);
        Assert.Equal("helper", membership.Role);

        // The link logs the new helper in, as a helper of the organisation.
        var accessToken = await fixture.LoginAsync(email.ToUpperInvariant());
        using var me = fixture.Client(accessToken);
        var profile = await Problems.JsonAsync(await me.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal(org, profile.GetProperty("memberships")[0].GetProperty("org").GetString());
        Assert.Equal("helper", profile.GetProperty("memberships")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Signing_up_twice_with_the_same_address_adds_nothing_twice_but_mails_a_new_link()
    {
        var org = await fixture.CreateOrganisationAsync();
        var email = $"twice-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();

        using var first = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Tom", email });
        using var second = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Someone Else", email = email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        // Each signup's login link is its transaction's last event: once both arrived, everything else has.
        var links = await fixture.ReceivedAsync<LoginLinkRequested>(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase), 2);
        Assert.Equal(2, links.Count);
        await Task.Delay(200);
        var registered = Assert.Single(fixture.Received<VolunteerRegistered>(m => m.Email == email)).Message;
        Assert.Equal("Tom", registered.Name); // the second form does not rename the person
        Assert.Single(fixture.Received<MembershipChanged>(m => m.VolunteerId == registered.VolunteerId));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE lower(email) = lower(@e)", ("e", email)));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @id", ("id", registered.VolunteerId)));
    }

    [Fact]
    public async Task Signup_by_an_existing_coordinator_keeps_their_role_and_answers_the_same()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "X", email = coordinator.Email });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("coordinator", await RoleAsync(coordinator.Id));
    }

    [Fact]
    public async Task Signup_for_another_organisation_adds_a_second_membership_to_the_same_person()
    {
        var first = await fixture.CreateOrganisationAsync();
        var second = await fixture.CreateOrganisationAsync();
        var email = $"two-orgs-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();

        (await client.PostAsJsonAsync($"/api/orgs/{first}/signup", new { name = "Mia", email })).Dispose();
        (await client.PostAsJsonAsync($"/api/orgs/{second}/signup", new { name = "Mia", email })).Dispose();

        var links = await fixture.ReceivedAsync<LoginLinkRequested>(m => m.Email == email, 2);
        var id = links[0].Message.VolunteerId;
        Assert.All(links, l => Assert.Equal(id, l.Message.VolunteerId));
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
