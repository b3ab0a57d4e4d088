using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Issue 3 as a new user tries it, through the gateway with real logins: the platform admin opens
/// an organisation, a coordinator creates a weekly info stand with shifts and publishes it, helpers
/// sign up and claim, a full shift offers the waitlist, a cancellation promotes the next person, and
/// a postponed then rescheduled event keeps its claims.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class CoordinatorAndHelpersTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_coordinator_plans_a_weekly_info_stand_and_helpers_claim_wait_and_move_with_it()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Kreisverband Mitte/Ost", timeZone = "Europe/Berlin" }));

        var carla = $"carla-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(admin, org, new { name = "Carla", email = carla, role = "coordinator" }, carla);
        using var coordinator = await system.LogInAsync(carla);

        // Next Saturday 10:00-14:00 Berlin time, three weeks running, one newcomer-friendly stand shift of one place.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date;
        var saturday = today.AddDays(((int)DayOfWeek.Saturday - (int)today.DayOfWeek + 7) % 7 + 7);
        static string Local(DateTime local) => BerlinTime.Iso(local);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Infostand im Viertel",
            kind = "info-stand",
            location = new { name = "Sielwall-Kreuzung", address = "Ostertorsteinweg 1, Bremen" },
            startsAt = Local(saturday.AddHours(10)),
            endsAt = Local(saturday.AddHours(14)),
            recurrence = new { weekdays = new[] { "saturday" }, count = 3 },
            shifts = new[] { new { title = "Standbetreuung", startsAt = Local(saturday.AddHours(10)), endsAt = Local(saturday.AddHours(12)), capacity = 1, minimum = 1, newcomerFriendly = true } },
        }), HttpStatusCode.Created);
        var series = await created.Content.ReadFromJsonAsync<JsonElement>();
        var occurrences = series.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(3, occurrences.Count);
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{occurrences[0]}/publish?series=true", null));

        var (hana, hanaEmail) = await SignUpAsync(org, "Hana");
        var (ben, _) = await SignUpAsync(org, "Ben");

        // Helpers see the open stand shifts, one per Saturday, in Berlin time.
        var open = await Http.EventuallyAsync(() => hana.GetAsync($"/api/orgs/{org}/shifts?newcomerFriendly=true"), HttpStatusCode.OK);
        var shifts = (await open.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, shifts.Count);
        Assert.EndsWith(":00", shifts[0].GetProperty("startsAt").GetString(), StringComparison.Ordinal);
        Assert.Contains("T10:00:00+0", shifts[0].GetProperty("startsAt").GetString(), StringComparison.Ordinal);
        var first = shifts[0].GetProperty("id").GetGuid();
        var second = shifts[1].GetProperty("id").GetGuid();
        // Ben's membership reaches the events service by message too; until it has, his calls are 403.
        await Http.EventuallyAsync(() => ben.GetAsync($"/api/orgs/{org}/shifts"), HttpStatusCode.OK);

        // Hana takes the only place; Ben is offered the waitlist and joins it.
        await Http.ExpectAsync(HttpStatusCode.Created, await hana.PostAsync($"/api/shifts/{first}/claims", null));
        var full = await ben.PostAsync($"/api/shifts/{first}/claims", null);
        var fullProblem = await Http.ExpectAsync(HttpStatusCode.Conflict, full);
        Assert.Equal("shift-full", fullProblem.GetProperty("code").GetString());
        Assert.True(fullProblem.GetProperty("waitlistAvailable").GetBoolean());
        var place = await Http.ExpectAsync(HttpStatusCode.Created, await ben.PostAsync($"/api/shifts/{first}/waitlist", null));
        Assert.Equal(1, place.GetProperty("position").GetInt32());

        // Hana gives it back; Ben is promoted in the same transaction.
        await Http.ExpectAsync(HttpStatusCode.NoContent, await hana.DeleteAsync($"/api/shifts/{first}/claims/mine"));
        var bensShifts = await Http.ExpectAsync(HttpStatusCode.OK, await ben.GetAsync("/api/me/shifts"));
        Assert.Equal(first, Assert.Single(bensShifts.GetProperty("claims").EnumerateArray()).GetProperty("shift").GetProperty("id").GetGuid());

        // Hana claims the second Saturday; that occurrence is postponed (claim kept), then moved a day later.
        await Http.ExpectAsync(HttpStatusCode.Created, await hana.PostAsync($"/api/shifts/{second}/claims", null));
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsJsonAsync($"/api/events/{occurrences[1]}/postpone", new { reason = "Raum nicht verfügbar" }));
        var postponed = await Http.ExpectAsync(HttpStatusCode.OK, await hana.GetAsync($"/api/shifts/{second}"));
        Assert.Equal("postponed", postponed.GetProperty("eventStatus").GetString());
        Assert.Equal(1, postponed.GetProperty("confirmed").GetInt32());

        var sunday = saturday.AddDays(8);
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsJsonAsync($"/api/events/{occurrences[1]}/reschedule",
            new { startsAt = Local(sunday.AddHours(10)), endsAt = Local(sunday.AddHours(14)) }));
        var moved = await Http.ExpectAsync(HttpStatusCode.OK, await hana.GetAsync($"/api/shifts/{second}"));
        Assert.Equal("published", moved.GetProperty("eventStatus").GetString());
        Assert.Equal(1, moved.GetProperty("confirmed").GetInt32());
        Assert.StartsWith(sunday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00:00", moved.GetProperty("startsAt").GetString(), StringComparison.Ordinal);
        Assert.Equal("Hana", Assert.Single(moved.GetProperty("claimants").EnumerateArray()).GetProperty("name").GetString());
        Assert.NotNull(hanaEmail);
    }

    private async Task<(HttpClient Client, string Email)> SignUpAsync(string org, string name)
    {
        var email = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        return (await system.SignUpAsync(org, name, email), email);
    }
}
