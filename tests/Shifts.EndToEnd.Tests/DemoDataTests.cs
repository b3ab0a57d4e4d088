using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shifts.Demo;
using Shifts.Demo.Api;
using Shifts.Demo.Plan;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>The system as `./shifts up` runs it: the services' own login rate limits, which the demo must load within.</summary>
public sealed class DemoShiftsSystem() : ShiftsSystem(relaxedRateLimits: false);

/// <summary>
/// An empty system, the demo loaded into it twice through the gateway (as `./shifts up` does on
/// every start), and what the API then shows: the staffing of every shift read after each load.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public DemoShiftsSystem System { get; } = new();

    public DemoPlan Plan { get; private set; } = null!;

    public DemoSummary First { get; private set; } = null!;

    public DemoSummary Second { get; private set; } = null!;

    public IReadOnlyList<CreatedShift> Shifts { get; private set; } = [];

    public string Log { get; private set; } = "";

    /// <summary>Confirmed and waiting per shift, after the first and after the second load.</summary>
    public IReadOnlyDictionary<Guid, (int Confirmed, int Waitlisted)> StaffingAfterFirst { get; private set; } = null!;

    public IReadOnlyDictionary<Guid, (int Confirmed, int Waitlisted)> StaffingAfterSecond { get; private set; } = null!;

    public IReadOnlyList<JsonElement> EventsAfterSecond { get; private set; } = [];

    public string CoordinatorToken { get; private set; } = "";

    public Logins Logins { get; private set; } = null!;

    private HttpClient _inboxHttp = null!;
    private string _nordAdminToken = "";

    public async Task InitializeAsync()
    {
        await System.InitializeAsync();
        _inboxHttp = new HttpClient { BaseAddress = (await TestServers.GetAsync()).SmtpApi };
        var gateway = new GatewayClient(System.Gateway);
        Logins = new Logins(gateway, new MailInbox(_inboxHttp));
        Plan = DistrictAssociation.Create(LocalCalendar.ForToday(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), DateTimeOffset.UtcNow));

        using var log = new StringWriter();
        var loader = new DemoLoader(gateway, Logins, log);
        First = await loader.LoadAsync(Plan, System.AdminEmail, CancellationToken.None);
        Shifts = loader.Shifts;
        CoordinatorToken = await Logins.LogInAsync(Plan.DemoCoordinator, CancellationToken.None);
        _nordAdminToken = await Logins.LogInAsync(Plan.People.First(p => p.Org == DistrictAssociation.Nord && p.Role == "admin").Email, CancellationToken.None);
        StaffingAfterFirst = await StaffingAsync();

        Second = await new DemoLoader(gateway, Logins, log).LoadAsync(Plan, System.AdminEmail, CancellationToken.None);
        StaffingAfterSecond = await StaffingAsync();
        EventsAfterSecond = await ListAsync($"/api/orgs/{DemoPlan.MainOrg}/events?limit=100");
        Log = log.ToString();
    }

    public async Task DisposeAsync()
    {
        _inboxHttp?.Dispose();
        await System.DisposeAsync();
    }

    public async Task<JsonElement> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.ExpectAsync(HttpStatusCode.OK, await System.Gateway.SendAsync(request));
    }

    /// <summary>Every item of a keyset-paged list, as the coordinator sees it.</summary>
    public async Task<List<JsonElement>> ListAsync(string path)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}", CoordinatorToken);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return items;
    }

    private async Task<Dictionary<Guid, (int, int)>> StaffingAsync()
    {
        var staffing = new Dictionary<Guid, (int, int)>();
        foreach (var shift in Shifts)
        {
            var view = await GetAsync($"/api/shifts/{shift.Id}", shift.Event.Org == DemoPlan.MainOrg ? CoordinatorToken : _nordAdminToken);
            staffing[shift.Id] = (view.GetProperty("confirmed").GetInt32(), view.GetProperty("waitlisted").GetInt32());
        }

        return staffing;
    }
}

public sealed class DemoDataTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private DemoPlan Plan => demo.Plan;

    private static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.DateTime);

    private static TimeOnly LocalTime(DateTimeOffset instant) => TimeOnly.FromDateTime(instant.DateTime);

    [Fact]
    public async Task The_organisations_qualifications_and_people_are_those_of_DEMO_md()
    {
        var org = await demo.GetAsync($"/api/orgs/{DemoPlan.MainOrg}", demo.CoordinatorToken);
        Assert.Equal("Kreisverband Mitte/Ost", org.GetProperty("name").GetString());
        Assert.Equal("Europe/Berlin", org.GetProperty("timeZone").GetString());
        Assert.Equal("PT24H", org.GetProperty("cancellationDeadline").GetString());

        var qualifications = (await demo.GetAsync($"/api/orgs/{DemoPlan.MainOrg}/qualifications", demo.CoordinatorToken))
            .GetProperty("items").EnumerateArray().Select(q => q.GetProperty("code").GetString()).Order().ToList();
        Assert.Equal(["awareness", "bar", "driver", "first-aid", "moderation"], qualifications);

        var members = await demo.ListAsync($"/api/orgs/{DemoPlan.MainOrg}/members?limit=100");
        var roles = members.GroupBy(m => m.GetProperty("role").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, roles["admin"]);
        Assert.Equal(3, roles["coordinator"]);
        Assert.InRange(roles["helper"], 35, 45); // "about 40 helpers"
        Assert.Contains(members, m => m.GetProperty("email").GetString() == Plan.DemoHelper);
        Assert.Equal(members.Count, Plan.People.Count(p => p.Org == DemoPlan.MainOrg));

        // Qualifications are varied: every one is held by somebody, none by everybody.
        foreach (var code in qualifications)
        {
            var holders = members.Count(m => m.GetProperty("qualifications").EnumerateArray().Any(q => q.GetString() == code));
            Assert.InRange(holders, 2, members.Count - 1);
        }
    }

    [Fact]
    public async Task A_few_helpers_read_English_and_the_second_organisation_keeps_its_data_apart()
    {
        var english = Plan.People.Where(p => p.Org == DemoPlan.MainOrg && p.Locale == "en").ToList();
        Assert.InRange(english.Count, 2, 6);
        var token = await demo.Logins.LogInAsync(english[0].Email, CancellationToken.None);
        Assert.Equal("en", (await demo.GetAsync("/api/me", token)).GetProperty("locale").GetString());

        // A helper of Mitte/Ost sees nothing of Nord's shifts, and Nord's own people do.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orgs/{DistrictAssociation.Nord}/shifts?open=true");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await Http.ExpectAsync(HttpStatusCode.Forbidden, await demo.System.Gateway.SendAsync(request));
        var nord = Plan.People.First(p => p.Org == DistrictAssociation.Nord && p.Role == "helper" && Plan.People.Count(q => q.Email == p.Email) == 1);
        var nordShifts = await demo.GetAsync($"/api/orgs/{DistrictAssociation.Nord}/shifts?open=true", await demo.Logins.LogInAsync(nord.Email, CancellationToken.None));
        Assert.All(nordShifts.GetProperty("items").EnumerateArray(), s => Assert.Equal("Infostand Vegesack", s.GetProperty("eventTitle").GetString()));
        Assert.NotEmpty(nordShifts.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public void The_events_are_those_of_DEMO_md_dated_from_today_in_Berlin()
    {
        var events = demo.EventsAfterSecond;
        List<JsonElement> Titled(string title) => events.Where(e => e.GetProperty("title").GetString() == title).ToList();
        var today = Plan.Calendar.Today;

        // The Saturday info stand: a weekly series of six, 10:00-14:00 local, starting within the week.
        var stands = Titled("Infostand im Viertel");
        Assert.Equal(6, stands.Count);
        Assert.Single(stands.Select(e => e.GetProperty("seriesId").GetString()).Distinct());
        Assert.All(stands, e =>
        {
            var start = e.GetProperty("startsAt").GetDateTimeOffset();
            Assert.Equal(DayOfWeek.Saturday, start.DayOfWeek);
            Assert.Equal(new TimeOnly(10, 0), LocalTime(start));
            Assert.Equal(new TimeOnly(14, 0), LocalTime(e.GetProperty("endsAt").GetDateTimeOffset()));
        });
        var first = LocalDate(stands.Min(e => e.GetProperty("startsAt").GetDateTimeOffset()));
        Assert.InRange(first.DayNumber - today.DayNumber, 1, 7);

        Assert.Equal(2, Titled("Verteilaktion Wahlkampf").Count);
        Assert.All(Titled("Verteilaktion Wahlkampf"), e => Assert.InRange(e.GetProperty("startsAt").GetDateTimeOffset().DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday));
        Assert.Equal(DayOfWeek.Saturday, Assert.Single(Titled("Sommerfest am Weserwehr")).GetProperty("startsAt").GetDateTimeOffset().DayOfWeek);
        Assert.Single(Titled("Stadtteilfest Tenever"));
        Assert.Single(Titled("Neumitgliedertreffen"));
        var baseGroup = Titled("Basisgruppe Mitte-Ost").Select(e => e.GetProperty("startsAt").GetDateTimeOffset()).ToList();
        Assert.Equal(2, baseGroup.Select(d => d.Month).Distinct().Count()); // monthly
        Assert.Single(Titled("Spieleabend"));
        Assert.Single(Titled("Kneipenabend"));

        // Friday and Saturday nights, across midnight.
        var nights = Titled("Awareness-Team im Viertel");
        Assert.Equal(4, nights.Count);
        Assert.All(nights, e =>
        {
            var start = e.GetProperty("startsAt").GetDateTimeOffset();
            var end = e.GetProperty("endsAt").GetDateTimeOffset();
            Assert.Contains(start.DayOfWeek, new[] { DayOfWeek.Friday, DayOfWeek.Saturday });
            Assert.Equal(new TimeOnly(22, 0), LocalTime(start));
            Assert.Equal(LocalDate(start).AddDays(1), LocalDate(end));
            Assert.Equal(new TimeOnly(3, 0), LocalTime(end));
        });

        // Everything is published, but the council meeting, which is postponed (claims kept: see below).
        var postponed = Assert.Single(events, e => e.GetProperty("status").GetString() != "published");
        Assert.Equal("Vernetzungstreffen der Beiräte", postponed.GetProperty("title").GetString());
        Assert.Equal("postponed", postponed.GetProperty("status").GetString());
        Assert.Equal(Plan.Events.Where(e => e.Org == DemoPlan.MainOrg).Sum(e => e.Dates().Count), events.Count);
        Assert.All(events, e => Assert.True(e.GetProperty("startsAt").GetDateTimeOffset() > DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Shifts_carry_their_qualifications_and_newcomer_friendliness()
    {
        var festival = demo.EventsAfterSecond.Single(e => e.GetProperty("title").GetString() == "Sommerfest am Weserwehr");
        var shifts = (await demo.GetAsync($"/api/events/{festival.GetProperty("id").GetString()}", demo.CoordinatorToken)).GetProperty("shifts").EnumerateArray().ToList();
        var required = shifts.Select(s => s.GetProperty("requiredQualification")).Where(q => q.ValueKind == JsonValueKind.String).Select(q => q.GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "bar", "awareness", "moderation", "first-aid", "driver" }, required);
        var awareness = Assert.Single(shifts, s => s.GetProperty("title").GetString() == "Awareness-Team");
        Assert.Equal(new TimeOnly(18, 0), LocalTime(awareness.GetProperty("startsAt").GetDateTimeOffset()));
        var teardown = Assert.Single(shifts, s => s.GetProperty("title").GetString() == "Abbau");
        Assert.True(LocalDate(teardown.GetProperty("endsAt").GetDateTimeOffset()) > LocalDate(teardown.GetProperty("startsAt").GetDateTimeOffset()));

        // Info-stand shifts are for newcomers; the set-up is not.
        var stand = demo.Shifts.Where(s => s.Event.Title == "Infostand im Viertel" && s.Occurrence == 0).ToList();
        Assert.Equal(["Aufbau", "Standbetreuung", "Standbetreuung", "Abbau"], stand.Select(s => s.Plan.Title));
        foreach (var shift in stand)
        {
            var view = await demo.GetAsync($"/api/shifts/{shift.Id}", demo.CoordinatorToken);
            Assert.Equal(shift.Plan.Title == "Standbetreuung", view.GetProperty("newcomerFriendly").GetBoolean());
        }
    }

    [Fact]
    public async Task Staffing_is_the_plan_some_shifts_full_with_a_waitlist_some_short_of_their_minimum()
    {
        foreach (var shift in demo.Shifts)
        {
            var (confirmed, waitlisted) = demo.StaffingAfterFirst[shift.Id];
            var where = $"{shift.Event.Title} / {shift.Plan.Title} at {shift.StartsAt:yyyy-MM-dd HH:mm}";
            Assert.True(shift.Plan.Fill[shift.Occurrence] == confirmed, $"{where}: {confirmed} confirmed, planned {shift.Plan.Fill[shift.Occurrence]}");
            Assert.True(shift.Plan.WaitlistAt(shift.Occurrence) == waitlisted, $"{where}: {waitlisted} waiting, planned {shift.Plan.WaitlistAt(shift.Occurrence)}");
        }

        var live = demo.Shifts.Where(s => s.Event.PostponedBecause is null).ToList();
        var full = live.Where(s => demo.StaffingAfterFirst[s.Id].Confirmed == s.Plan.Capacity).ToList();
        var waiting = full.Where(s => demo.StaffingAfterFirst[s.Id].Waitlisted > 0).ToList();
        var gaps = live.Where(s => demo.StaffingAfterFirst[s.Id].Confirmed < s.Plan.Minimum).ToList();
        Assert.Equal(demo.First.Full, full.Count);
        Assert.Equal(demo.First.ShortOfMinimum, gaps.Count);
        Assert.InRange(waiting.Count, 4, full.Count);
        Assert.InRange(gaps.Count, 5, live.Count / 2);

        // The ones the demo's story needs: the festival bar of the afternoon is full with people waiting,
        // its awareness team and teardown short; the first Saturday's stand full with a waitlist.
        Assert.Contains(waiting, s => s.Event.Title == "Sommerfest am Weserwehr" && s.Plan.Title == "Ausschank" && LocalTime(s.StartsAt) == new TimeOnly(14, 0));
        Assert.Contains(waiting, s => s.Event.Title == "Infostand im Viertel" && s.Occurrence == 0 && s.Plan.Title == "Standbetreuung");
        Assert.Contains(gaps, s => s.Event.Title == "Sommerfest am Weserwehr" && s.Plan.Title == "Awareness-Team");
        Assert.Contains(gaps, s => s.Event.Title == "Sommerfest am Weserwehr" && s.Plan.Title == "Abbau");

        // The postponed meeting kept its claims.
        Assert.All(demo.Shifts.Where(s => s.Event.PostponedBecause is not null), s => Assert.True(demo.StaffingAfterFirst[s.Id].Confirmed > 0));

        // The open-shift list a helper sees agrees: no full shift in it, every published gap in it.
        var open = (await demo.ListAsync($"/api/orgs/{DemoPlan.MainOrg}/shifts?open=true&limit=100")).Select(s => s.GetProperty("id").GetGuid()).ToHashSet();
        Assert.DoesNotContain(full, s => open.Contains(s.Id));
        Assert.All(gaps, s => Assert.Contains(s.Id, open));
    }

    [Fact]
    public void Loading_again_adds_nothing()
    {
        Assert.False(demo.First.AlreadyLoaded);
        Assert.True(demo.Second.AlreadyLoaded);
        Assert.Equal(demo.StaffingAfterFirst, demo.StaffingAfterSecond);
        Assert.Equal(demo.Shifts.Where(s => s.Event.Org == DemoPlan.MainOrg).Select(s => s.EventId).Distinct().Count(), demo.EventsAfterSecond.Count);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(demo.Log, "loading the demo"));
    }

    [Fact]
    public async Task The_demo_helper_has_no_shift_yet_and_claims_the_first_open_one_for_newcomers()
    {
        // What ./shifts up tells a newcomer to do, through the API: log in as the demo helper, find a newcomer-friendly shift, claim it.
        var token = await demo.Logins.LogInAsync(Plan.DemoHelper, CancellationToken.None);
        Assert.Empty((await demo.GetAsync("/api/me/shifts", token)).GetProperty("claims").EnumerateArray());
        var first = (await demo.GetAsync($"/api/orgs/{DemoPlan.MainOrg}/shifts?open=true&newcomerFriendly=true&limit=1", token)).GetProperty("items").EnumerateArray().First();
        Assert.True(first.GetProperty("newcomerFriendly").GetBoolean());

        using var claim = new HttpRequestMessage(HttpMethod.Post, $"/api/shifts/{first.GetProperty("id").GetString()}/claims");
        claim.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await Http.ExpectAsync(HttpStatusCode.Created, await demo.System.Gateway.SendAsync(claim));
        Assert.Equal("confirmed", created.GetProperty("status").GetString());
    }
}
