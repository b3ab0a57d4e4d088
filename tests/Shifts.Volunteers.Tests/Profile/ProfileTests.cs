using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Profile;

[Collection(nameof(VolunteersCollection))]
public sealed class ProfileTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task Me_shows_the_profile_memberships_and_default_preferences()
    {
        var org = await fixture.CreateOrganisationAsync();
        var other = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org, "coordinator");
        using (var admin = fixture.Client(await fixture.AdminTokenAsync()))
        {
            (await admin.PostAsJsonAsync($"/api/orgs/{other}/members", new { name = "ignored", email = member.Email })).EnsureSuccessStatusCode();
        }

        await fixture.ConfirmMembershipAsync(member.Email, other);

        using var client = fixture.Client(member.Token);
        var me = await Problems.JsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);

        Assert.Equal(member.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(member.Name, me.GetProperty("name").GetString());
        Assert.Equal(member.Email, me.GetProperty("email").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("phone").ValueKind);
        Assert.Equal("de", me.GetProperty("locale").GetString());
        var memberships = me.GetProperty("memberships").EnumerateArray()
            .Select(m => (m.GetProperty("org").GetString()!, m.GetProperty("role").GetString()!)).OrderBy(m => m.Item1).ToList();
        Assert.Equal(new[] { (org, "coordinator"), (other, "helper") }.OrderBy(m => m.Item1), memberships);
        var preferences = me.GetProperty("notificationPreferences");
        Assert.True(preferences.GetProperty("email").GetBoolean());
        Assert.Equal(["PT24H", "PT2H"], preferences.GetProperty("reminderLeadTimes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, preferences.GetProperty("quietHours").ValueKind);
    }

    [Fact]
    public async Task Patching_me_changes_what_is_given_and_publishes_VolunteerProfileChanged()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(member.Token);

        using var response = await client.PatchAsJsonAsync("/api/me", new
        {
            name = "Neuer Name",
            phone = "+49 421 123456",
            locale = "en",
            notificationPreferences = new { email = false, reminderLeadTimes = new[] { "PT30M", "P1D" }, quietHours = new { from = "22:00", to = "07:30" } },
        });

        var me = await Problems.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Neuer Name", me.GetProperty("name").GetString());
        Assert.Equal("+49 421 123456", me.GetProperty("phone").GetString());
        Assert.Equal("en", me.GetProperty("locale").GetString());
        Assert.Equal(["PT24H", "PT30M"], me.GetProperty("notificationPreferences").GetProperty("reminderLeadTimes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("07:30", me.GetProperty("notificationPreferences").GetProperty("quietHours").GetProperty("to").GetString());

        var changed = Assert.Single(await fixture.ReceivedAsync<VolunteerProfileChanged>(m => m.VolunteerId == member.Id)).Message;
        Assert.Equal("Neuer Name", changed.Name);
        Assert.Equal(member.Email, changed.Email);
        Assert.Equal("en", changed.Locale);
        Assert.False(changed.Preferences.EmailReminders);
        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromMinutes(30)], changed.Preferences.ReminderLeadTimes);
        Assert.Equal("22:00", changed.Preferences.QuietHoursFrom);
        Assert.Equal("07:30", changed.Preferences.QuietHoursTo);

        // Absent fields stay; null removes phone and quiet hours.
        using var second = await client.PatchAsJsonAsync("/api/me", new { phone = (string?)null, notificationPreferences = new { quietHours = (object?)null } });
        var after = await Problems.JsonAsync(second, HttpStatusCode.OK);
        Assert.Equal("Neuer Name", after.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("phone").ValueKind);
        Assert.False(after.GetProperty("notificationPreferences").GetProperty("email").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("notificationPreferences").GetProperty("quietHours").ValueKind);

        var persisted = await Problems.JsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal("en", persisted.GetProperty("locale").GetString());
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_publishes_nothing()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(member.Token);

        using var same = await client.PatchAsJsonAsync("/api/me", new { name = member.Name, locale = "de" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using var real = await client.PatchAsJsonAsync("/api/me", new { locale = "en" });
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);

        var changes = await fixture.ReceivedAsync<VolunteerProfileChanged>(m => m.VolunteerId == member.Id);
        Assert.Equal("en", Assert.Single(changes).Message.Locale);
    }

    [Theory]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{\"locale\": \"fr\"}", "locale")]
    [InlineData("{\"phone\": \"call me maybe\"}", "phone")]
    [InlineData("{\"phone\": 4912345}", "phone")]
    [InlineData("{\"notificationPreferences\": {\"reminderLeadTimes\": [\"PT1M\"]}}", "notificationPreferences.reminderLeadTimes")]
    [InlineData("{\"notificationPreferences\": {\"reminderLeadTimes\": [\"P15D\"]}}", "notificationPreferences.reminderLeadTimes")]
    [InlineData("{\"notificationPreferences\": {\"reminderLeadTimes\": [\"PT1H\",\"PT2H\",\"PT3H\",\"PT4H\",\"PT5H\",\"PT6H\"]}}", "notificationPreferences.reminderLeadTimes")]
    [InlineData("{\"notificationPreferences\": {\"reminderLeadTimes\": [\"soon\"]}}", "notificationPreferences.reminderLeadTimes[0]")]
    [InlineData("{\"notificationPreferences\": {\"email\": \"yes\"}}", "notificationPreferences.email")]
    [InlineData("{\"notificationPreferences\": {\"quietHours\": {\"from\": \"25:00\", \"to\": \"07:00\"}}}", "notificationPreferences.quietHours.from")]
    [InlineData("{\"notificationPreferences\": {\"quietHours\": {\"from\": \"22:00\"}}}", "notificationPreferences.quietHours.to")]
    [InlineData("{\"notificationPreferences\": {\"quietHours\": \"22-7\"}}", "notificationPreferences.quietHours")]
    [InlineData("{\"name\": ", "body")]
    [InlineData("{\"phone\": \"\\ud800\"}", "phone")]
    [InlineData("{\"phone\": \"0421\\u0000\"}", "phone")]
    [InlineData("{\"name\": \"Anna\\udc00\"}", "name")]
    [InlineData("{\"notificationPreferences\": {\"quietHours\": {\"from\": \"\\ud800\", \"to\": \"07:00\"}}}", "notificationPreferences.quietHours")]
    [InlineData("{\"nickname\": \"Anni\"}", "nickname")]
    [InlineData("{\"notificationPreferences\": {\"email\": true, \"sms\": true}}", "notificationPreferences.sms")]
    public async Task An_invalid_profile_change_gets_400_naming_the_field(string body, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(member.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PatchAsync("/api/me", content);

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task Over_long_name_and_phone_get_400()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        using var client = fixture.Client(member.Token);

        await Problems.AssertValidationAsync(await client.PatchAsJsonAsync("/api/me", new { name = new string('n', 201) }), "name");
        await Problems.AssertValidationAsync(await client.PatchAsJsonAsync("/api/me", new { phone = new string('1', 41) }), "phone");
    }

    [Fact]
    public async Task Me_needs_a_login()
    {
        using var client = fixture.Client();

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
        await Problems.AssertUnauthenticatedAsync(await client.PatchAsJsonAsync("/api/me", new { name = "X" }));
    }

    [Fact]
    public async Task Me_for_a_token_whose_person_does_not_exist_gets_401()
    {
        // A valid signature is not enough: a person this service does not know (erased, or never
        // registered) is not signed in, whatever the token says.
        using var client = fixture.Client(fixture.Tokens.Mint(Guid.NewGuid(), "Ghost"));

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
    }
}
