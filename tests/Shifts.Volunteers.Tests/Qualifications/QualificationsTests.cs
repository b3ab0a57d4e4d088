using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Qualifications;

[Collection(nameof(VolunteersCollection))]
public sealed class QualificationsTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_coordinator_adds_a_qualification_and_members_see_the_list()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);

        using (var client = fixture.Client(coordinator.Token))
        {
            using var created = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "first-aid", name = "Erste Hilfe" });
            var qualification = await Problems.JsonAsync(created, HttpStatusCode.Created);
            Assert.Equal("first-aid", qualification.GetProperty("code").GetString());
            using var again = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "first-aid", name = "Nochmal" });
            await Problems.AssertAsync(again, HttpStatusCode.Conflict, "qualification-exists");
        }

        using (var client = fixture.Client(helper.Token))
        {
            var list = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/qualifications"), HttpStatusCode.OK);
            var item = Assert.Single(list.GetProperty("items").EnumerateArray());
            Assert.Equal("Erste Hilfe", item.GetProperty("name").GetString());
            using var refused = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "bar", name = "Ausschank" });
            await Problems.AssertForbiddenAsync(refused);
        }
    }

    [Fact]
    public async Task A_new_qualification_is_announced_once_so_shifts_elsewhere_may_require_it()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client(coordinator.Token);

        using var created = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "forklift", name = "Staplerschein" });
        await Problems.JsonAsync(created, HttpStatusCode.Created);
        using var again = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code = "forklift", name = "Nochmal" });
        await Problems.AssertAsync(again, HttpStatusCode.Conflict, "qualification-exists");

        var added = Assert.Single(await fixture.ReceivedAsync<QualificationAdded>(m => m.Org == org)).Message;
        Assert.Equal(new QualificationAdded(org, "forklift", "Staplerschein"), added);
    }

    [Fact]
    public async Task Someone_outside_the_organisation_cannot_see_its_qualifications()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var stranger = await fixture.AddMemberAsync(other, "admin");

        using var client = fixture.Client(stranger.Token);
        await Problems.AssertForbiddenAsync(await client.GetAsync($"/api/orgs/{org}/qualifications"));
        using var anonymous = fixture.Client();
        await Problems.AssertUnauthenticatedAsync(await anonymous.GetAsync($"/api/orgs/{org}/qualifications"));
    }

    [Theory]
    [InlineData("{\"code\": \"First Aid\", \"name\": \"Erste Hilfe\"}", "code")]
    [InlineData("{\"name\": \"Erste Hilfe\"}", "code")]
    [InlineData("{\"code\": \"first-aid\"}", "name")]
    [InlineData("{\"code\": \"first-aid\", \"name\": 1}", "name")]
    public async Task An_invalid_qualification_gets_400(string body, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        using var client = fixture.Client(coordinator.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync($"/api/orgs/{org}/qualifications", content);

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task A_coordinator_grants_qualifications_and_QualificationsChanged_carries_all_of_them()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "awareness", "driver", "moderation");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org, "helper", null, "driver");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", new { codes = new[] { "moderation", "awareness" } });

        var granted = await Problems.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(["awareness", "moderation"], granted.GetProperty("codes").EnumerateArray().Select(e => e.GetString()));
        var changes = await fixture.ReceivedAsync<QualificationsChanged>(m => m.VolunteerId == helper.Id, 2);
        Assert.Equal(["driver"], changes[0].Message.Codes);
        Assert.Equal(["awareness", "moderation"], changes[1].Message.Codes);

        var member = await Problems.JsonAsync(await client.GetAsync($"/api/orgs/{org}/members/{helper.Id}"), HttpStatusCode.OK);
        Assert.Equal(["awareness", "moderation"], member.GetProperty("qualifications").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Granting_the_same_qualifications_again_publishes_nothing_new()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "bar");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org, "helper", null, "bar");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", new { codes = new[] { "bar" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var cleared = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", new { codes = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);

        var changes = await fixture.ReceivedAsync<QualificationsChanged>(m => m.VolunteerId == helper.Id, 2);
        Assert.Equal(new[] { new[] { "bar" }, Array.Empty<string>() }, changes.Select(c => c.Message.Codes.ToArray()));
    }

    [Fact]
    public async Task Granting_an_unknown_qualification_gets_400_and_changes_nothing()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "bar");
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org, "helper", null, "bar");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", new { codes = new[] { "astronaut" } });

        await Problems.AssertValidationAsync(response, "codes");
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM member_qualifications WHERE volunteer_id = @id AND code = 'bar'", ("id", helper.Id)));
    }

    [Fact]
    public async Task A_helper_cannot_grant_qualifications()
    {
        var org = await fixture.CreateOrganisationAsync();
        await fixture.AddQualificationsAsync(org, "bar");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(helper.Token);

        using var response = await client.PutAsJsonAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", new { codes = new[] { "bar" } });

        await Problems.AssertForbiddenAsync(response);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"codes\": \"bar\"}")]
    [InlineData("{\"codes\": [\"Bar Service\"]}")]
    public async Task A_malformed_grant_gets_400(string body)
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(org, "coordinator");
        var helper = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(coordinator.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PutAsync($"/api/orgs/{org}/members/{helper.Id}/qualifications", content);

        await Problems.AssertValidationAsync(response, "codes");
    }
}
