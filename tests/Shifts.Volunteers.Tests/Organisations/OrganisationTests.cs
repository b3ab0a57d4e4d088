using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Organisations;

[Collection(nameof(VolunteersCollection))]
public sealed class OrganisationTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task The_platform_admin_registers_an_organisation_and_OrganisationRegistered_is_published_once()
    {
        var slug = $"kv-{Guid.NewGuid():N}"[..15];
        using var client = fixture.Client(await fixture.AdminTokenAsync());

        using var response = await client.PostAsJsonAsync("/api/orgs", new
        {
            slug,
            name = "Kreisverband Mitte/Ost",
            timeZone = "Europe/Berlin",
            cancellationDeadline = "PT12H",
            gapAlertLeadTimes = new[] { "PT24H", "PT72H" },
        });

        var org = await Problems.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/orgs/{slug}", response.Headers.Location?.OriginalString);
        Assert.Equal(slug, org.GetProperty("slug").GetString());
        Assert.Equal("Kreisverband Mitte/Ost", org.GetProperty("name").GetString());
        Assert.Equal("Europe/Berlin", org.GetProperty("timeZone").GetString());
        Assert.Equal("PT12H", org.GetProperty("cancellationDeadline").GetString());
        Assert.Equal(["PT72H", "PT24H"], org.GetProperty("gapAlertLeadTimes").EnumerateArray().Select(e => e.GetString()));

        var published = await fixture.ReceivedAsync<OrganisationRegistered>(m => m.Slug == slug);
        var registered = Assert.Single(published).Message;
        Assert.Equal("Europe/Berlin", registered.TimeZone);
        Assert.Equal(TimeSpan.FromHours(12), registered.CancellationDeadline);
        Assert.Equal([TimeSpan.FromHours(72), TimeSpan.FromHours(24)], registered.GapAlertLeadTimes);

        using var anyone = fixture.Client();
        var read = await Problems.JsonAsync(await anyone.GetAsync($"/api/orgs/{slug}"), HttpStatusCode.OK);
        Assert.Equal("PT12H", read.GetProperty("cancellationDeadline").GetString());
    }

    [Fact]
    public async Task An_organisation_gets_the_default_deadline_and_alert_lead_times_when_none_are_given()
    {
        var slug = await fixture.CreateOrganisationAsync();

        var registered = Assert.Single(await fixture.ReceivedAsync<OrganisationRegistered>(m => m.Slug == slug)).Message;
        Assert.Equal(TimeSpan.FromHours(24), registered.CancellationDeadline);
        Assert.Equal([TimeSpan.FromHours(48), TimeSpan.FromHours(24)], registered.GapAlertLeadTimes);
    }

    [Fact]
    public async Task A_taken_slug_gets_409_slug_taken()
    {
        var slug = await fixture.CreateOrganisationAsync();
        using var client = fixture.Client(await fixture.AdminTokenAsync());

        using var response = await client.PostAsJsonAsync("/api/orgs", new { slug, name = "Again", timeZone = "Europe/Berlin" });

        await Problems.AssertAsync(response, HttpStatusCode.Conflict, "slug-taken");
        Assert.Single(await fixture.ReceivedAsync<OrganisationRegistered>(m => m.Slug == slug));
    }

    [Theory]
    [InlineData("helper")]
    [InlineData("coordinator")]
    [InlineData("admin")]
    public async Task Only_the_platform_admin_registers_organisations(string role)
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org, role);
        using var client = fixture.Client(member.Token);

        using var response = await client.PostAsJsonAsync("/api/orgs", new { slug = $"x-{Guid.NewGuid():N}"[..10], name = "Mine", timeZone = "Europe/Berlin" });

        await Problems.AssertForbiddenAsync(response);
    }

    [Fact]
    public async Task Registering_an_organisation_anonymously_gets_401()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/api/orgs", new { slug = "anon", name = "Anon", timeZone = "Europe/Berlin" });

        await Problems.AssertUnauthenticatedAsync(response);
    }

    [Theory]
    [InlineData("{\"slug\": \"Not Kebab\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\"}", "slug")]
    [InlineData("{\"slug\": \"trailing-\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\"}", "slug")]
    [InlineData("{\"slug\": \"ok\\n\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\"}", "slug")]
    [InlineData("{\"name\": \"N\", \"timeZone\": \"Europe/Berlin\"}", "slug")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"\", \"timeZone\": \"Europe/Berlin\"}", "name")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"W. Europe Standard Time\"}", "timeZone")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"../../etc/passwd\"}", "timeZone")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\"}", "timeZone")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\", \"cancellationDeadline\": \"24 hours\"}", "cancellationDeadline")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\", \"cancellationDeadline\": \"-PT1H\"}", "cancellationDeadline")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\", \"cancellationDeadline\": \"P90D\"}", "cancellationDeadline")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\", \"gapAlertLeadTimes\": [\"PT1M\"]}", "gapAlertLeadTimes")]
    [InlineData("{\"slug\": \"ok\", \"name\": \"N\", \"timeZone\": \"Europe/Berlin\", \"gapAlertLeadTimes\": \"PT1H\"}", "gapAlertLeadTimes")]
    [InlineData("{\"slug\": 5, \"name\": \"N\", \"timeZone\": \"Europe/Berlin\"}", "slug")]
    public async Task An_invalid_organisation_gets_400_naming_the_field(string body, string field)
    {
        using var client = fixture.Client(await fixture.AdminTokenAsync());
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/orgs", content);

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task An_over_long_slug_or_name_gets_400()
    {
        using var client = fixture.Client(await fixture.AdminTokenAsync());

        using var slug = await client.PostAsJsonAsync("/api/orgs", new { slug = new string('a', 61), name = "N", timeZone = "Europe/Berlin" });
        using var name = await client.PostAsJsonAsync("/api/orgs", new { slug = "fine", name = new string('n', 201), timeZone = "Europe/Berlin" });

        await Problems.AssertValidationAsync(slug, "slug");
        await Problems.AssertValidationAsync(name, "name");
    }

    [Fact]
    public async Task An_unknown_organisation_gets_404()
    {
        using var client = fixture.Client();

        await Problems.AssertNotFoundAsync(await client.GetAsync("/api/orgs/no-such-org"));
        await Problems.AssertNotFoundAsync(await client.GetAsync("/api/orgs/NOT%20A%20SLUG"));
    }

    [Fact]
    public async Task An_org_admin_changes_the_settings_and_OrganisationChanged_carries_all_of_them()
    {
        var slug = await fixture.CreateOrganisationAsync();
        var admin = await fixture.AddMemberAsync(slug, "admin");
        using var client = fixture.Client(admin.Token);

        using var response = await client.PatchAsJsonAsync($"/api/orgs/{slug}", new { timeZone = "Europe/London", cancellationDeadline = "PT6H" });

        var org = await Problems.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Europe/London", org.GetProperty("timeZone").GetString());
        var changed = Assert.Single(await fixture.ReceivedAsync<OrganisationChanged>(m => m.Slug == slug)).Message;
        Assert.Equal($"Organisation {slug}", changed.Name);
        Assert.Equal("Europe/London", changed.TimeZone);
        Assert.Equal(TimeSpan.FromHours(6), changed.CancellationDeadline);
        Assert.Equal([TimeSpan.FromHours(48), TimeSpan.FromHours(24)], changed.GapAlertLeadTimes);
    }

    [Fact]
    public async Task A_coordinator_cannot_change_the_organisation_settings()
    {
        var slug = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.AddMemberAsync(slug, "coordinator");
        using var client = fixture.Client(coordinator.Token);

        using var response = await client.PatchAsJsonAsync($"/api/orgs/{slug}", new { name = "Taken over" });

        await Problems.AssertForbiddenAsync(response);
    }
}
