using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Events.Tests.Plans;

namespace Shifts.Events.Tests.Attendance;

/// <summary>GET /api/orgs/{org}/hours: planned hours of confirmed claims on shifts that ended in a range of local dates, no-shows excluded.</summary>
[Collection(nameof(EventsCollection))]
public sealed class HoursTests(EventsFixture fixture)
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).DateTime);

    private static DateOnly From => Today.AddDays(-20);

    private static DateOnly To => Today.AddDays(-10);

    [Fact]
    public async Task Coordinators_get_everyones_hours_by_the_shifts_end_in_local_dates_without_no_shows()
    {
        var world = await WorldAsync();

        var hours = await world.Coordinator.GetFromJsonAsync<JsonElement>($"/api/orgs/{world.Org}/hours?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");

        Assert.Equal(From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hours.GetProperty("from").GetString());
        Assert.Equal(To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hours.GetProperty("to").GetString());
        var items = hours.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([world.Anna, world.Joerg], items.Select(i => i.GetProperty("volunteerId").GetGuid()));
        Assert.Equal("Anna Ölgård", items[0].GetProperty("name").GetString());
        Assert.Equal(1, items[0].GetProperty("shifts").GetInt32());
        Assert.Equal(1m, items[0].GetProperty("hours").GetDecimal());
        Assert.Equal(0, items[0].GetProperty("noShows").GetInt32());
        Assert.Equal("Jörg Müller", items[1].GetProperty("name").GetString());
        // 2 h on the first day of the range, 1.5 h ending at 23:59 on its last day; the 3 h no-show counts nothing.
        Assert.Equal(2, items[1].GetProperty("shifts").GetInt32());
        Assert.Equal(3.5m, items[1].GetProperty("hours").GetDecimal());
        Assert.Equal(1, items[1].GetProperty("noShows").GetInt32());
    }

    [Fact]
    public async Task A_helper_gets_only_their_own_row_without_no_shows_and_outsiders_are_refused()
    {
        var world = await WorldAsync();
        var query = $"/api/orgs/{world.Org}/hours?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}";

        using var joerg = fixture.Client(world.JoergToken);
        var mine = Assert.Single((await joerg.GetFromJsonAsync<JsonElement>(query)).GetProperty("items").EnumerateArray());
        Assert.Equal(world.Joerg, mine.GetProperty("volunteerId").GetGuid());
        Assert.Equal(3.5m, mine.GetProperty("hours").GetDecimal());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("noShows").ValueKind);

        var (idle, idleToken) = await fixture.CreateMemberAsync(world.Org);
        using var idleClient = fixture.Client(idleToken);
        var nothing = Assert.Single((await idleClient.GetFromJsonAsync<JsonElement>(query)).GetProperty("items").EnumerateArray());
        Assert.Equal(idle, nothing.GetProperty("volunteerId").GetGuid());
        Assert.Equal(0, nothing.GetProperty("shifts").GetInt32());
        Assert.Equal(0m, nothing.GetProperty("hours").GetDecimal());

        var other = await fixture.CreateOrganisationAsync();
        using var outsider = fixture.Client((await fixture.CreateMemberAsync(other, "coordinator")).Token);
        using var refused = await outsider.GetAsync(query);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", await AttendanceKit.CodeAsync(refused));
        using var anonymous = fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(query)).StatusCode);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=01.06.2026", "from")]
    [InlineData("to=tomorrow", "to")]
    [InlineData("from=2026-06-10&to=2026-06-09", "to")]
    public async Task Bad_dates_are_400_validation_naming_the_field(string query, string field)
    {
        var org = await fixture.CreateOrganisationAsync();
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);

        using var response = await coordinator.GetAsync($"/api/orgs/{org}/hours?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names '{field}': {problem}");
    }

    [Fact]
    public async Task Without_dates_the_range_is_the_current_month_in_the_organisations_zone()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);

        var hours = await coordinator.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/hours");

        var first = new DateOnly(Today.Year, Today.Month, 1);
        Assert.Equal(first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hours.GetProperty("from").GetString());
        Assert.Equal(first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hours.GetProperty("to").GetString());
    }

    [Fact]
    public async Task As_csv_the_hours_are_a_file_with_a_bom_a_header_and_umlauts()
    {
        var world = await WorldAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orgs/{world.Org}/hours?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await world.Coordinator.SendAsync(request);
        var rows = await CsvReading.ReadAsync(response, $"hours-{world.Org}-{From:yyyy-MM-dd}-{To:yyyy-MM-dd}.csv");

        Assert.Equal(
        [
            ["volunteerId", "name", "shifts", "hours", "noShows"],
            [world.Anna.ToString(), "Anna Ölgård", "1", "1", "0"],
            [world.Joerg.ToString(), "Jörg Müller", "2", "3.5", "1"],
        ], rows);
    }

    private sealed record World(string Org, HttpClient Coordinator, Guid Joerg, string JoergToken, Guid Anna);

    /// <summary>
    /// Jörg: 2 h ending on the range's first day, 1.5 h ending 23:59 on its last, a 3 h no-show in it, 5 h ending the
    /// day before it (not counted), a cancelled claim. Anna: 1 h in the range, 4 h ending at midnight after it (not counted).
    /// </summary>
    private async Task<World> WorldAsync()
    {
        var org = await fixture.CreateOrganisationAsync("Europe/Berlin");
        var (coordinatorId, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        var coordinator = fixture.Client(coordinatorToken);
        var (joerg, joergToken) = await fixture.CreateMemberAsync(org);
        var (anna, annaToken) = await fixture.CreateMemberAsync(org);
        await AttendanceKit.NameAsync(fixture, joerg, "Jörg Müller");
        await AttendanceKit.NameAsync(fixture, anna, "Anna Ölgård");
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(30, 0), Seed.Future(31, 23));

        async Task<Guid> WorkedAsync(string token, DateOnly day, TimeOnly from, TimeOnly until, int slot, bool noShow = false, bool cancel = false)
        {
            var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(30, slot), Seed.Future(30, slot).AddMinutes(30));
            var claimId = await AttendanceKit.ClaimAsync(fixture, token, shiftId);
            if (cancel)
            {
                using var client = fixture.Client(token);
                Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/shifts/{shiftId}/claims/mine")).StatusCode);
            }

            var starts = Local(day, from);
            var ends = until == TimeOnly.MinValue ? Local(day.AddDays(1), until) : Local(day, until);
            await AttendanceKit.MoveShiftAsync(fixture, shiftId, starts, ends);
            if (noShow)
            {
                await using var command = fixture.Db.CreateCommand("UPDATE claims SET no_show = true WHERE id = @id");
                command.Parameters.AddWithValue("id", claimId);
                await command.ExecuteNonQueryAsync();
            }

            return shiftId;
        }

        await WorkedAsync(joergToken, From, new TimeOnly(10, 0), new TimeOnly(12, 0), 0);
        await WorkedAsync(joergToken, To, new TimeOnly(22, 29), new TimeOnly(23, 59), 1);
        await WorkedAsync(joergToken, From.AddDays(2), new TimeOnly(9, 0), new TimeOnly(12, 0), 2, noShow: true);
        await WorkedAsync(annaToken, To, new TimeOnly(20, 0), TimeOnly.MinValue, 7);
        await WorkedAsync(joergToken, From.AddDays(-1), new TimeOnly(8, 0), new TimeOnly(13, 0), 4);
        await WorkedAsync(joergToken, From.AddDays(3), new TimeOnly(8, 0), new TimeOnly(10, 0), 5, cancel: true);
        await WorkedAsync(annaToken, From.AddDays(4), new TimeOnly(8, 0), new TimeOnly(9, 0), 6);
        _ = coordinatorId;
        return new World(org, coordinator, joerg, joergToken, anna);
    }

    private static DateTimeOffset Local(DateOnly day, TimeOnly time) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time, DateTimeKind.Unspecified), Berlin), TimeSpan.Zero);
}
