using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>Every event endpoint answers bad input with a 400 or 404 problem and its code (docs/api.md) — never a 500.</summary>
[Collection(nameof(EventsCollection))]
public sealed class EventBadInputTests(EventsFixture fixture)
{
    private const string ValidEvent = """
        {
          "title": "Infostand Marktplatz",
          "kind": "info-stand",
          "description": "Flyer",
          "location": { "name": "Marktplatz", "address": "Am Markt 1" },
          "startsAt": "2030-06-15T10:00:00+02:00",
          "endsAt": "2030-06-15T16:00:00+02:00",
          "shifts": [ { "title": "Vormittag", "startsAt": "2030-06-15T10:00:00+02:00", "endsAt": "2030-06-15T13:00:00+02:00", "capacity": 3 } ]
        }
        """;

    public static TheoryData<string, string, string> BadNewEvents => new()
    {
        { "malformed JSON", """{ "title": "Infostand", """, "body" },
        { "not an object", "[1, 2, 3]", "body" },
        { "title of the wrong type", With(e => e["title"] = 5), "title" },
        { "no title", With(e => e.Remove("title")), "title" },
        { "blank title", With(e => e["title"] = "   "), "title" },
        { "title too long", With(e => e["title"] = new string('x', 201)), "title" },
        { "description too long", With(e => e["description"] = new string('x', 4001)), "description" },
        { "no kind", With(e => e.Remove("kind")), "kind" },
        { "unknown kind", With(e => e["kind"] = "party"), "kind" },
        { "kind as a number", With(e => e["kind"] = 1), "kind" },
        { "no location", With(e => e.Remove("location")), "location" },
        { "location without a name", With(e => e["location"] = new JsonObject { ["address"] = "Am Markt 1" }), "location.name" },
        { "location name too long", With(e => e["location"]!["name"] = new string('x', 201)), "location.name" },
        { "address too long", With(e => e["location"]!["address"] = new string('x', 301)), "location.address" },
        { "time without an offset", With(e => e["startsAt"] = "2030-06-15T10:00:00"), "startsAt" },
        { "a date instead of a time", With(e => e["startsAt"] = "2030-06-15"), "startsAt" },
        { "a number instead of a time", With(e => e["endsAt"] = 1718445600), "endsAt" },
        { "no start", With(e => e.Remove("startsAt")), "startsAt" },
        { "end before start", With(e => e["endsAt"] = "2030-06-15T09:00:00+02:00"), "endsAt" },
        { "end equal to start", With(e => e["endsAt"] = "2030-06-15T10:00:00+02:00"), "endsAt" },
        { "fifteen days long", With(e => e["endsAt"] = "2030-06-30T10:00:00+02:00"), "endsAt" },
        { "at the end of the calendar", With(e => { e["startsAt"] = "9999-12-31T10:00:00Z"; e["endsAt"] = "9999-12-31T12:00:00Z"; }), "startsAt" },
        { "shifts not an array", With(e => e["shifts"] = "many"), "shifts" },
        { "a null shift", With(e => e["shifts"] = new JsonArray((JsonNode?)null)), "shifts[0]" },
        { "shift without a title", With(e => e["shifts"]![0]!.AsObject().Remove("title")), "shifts[0].title" },
        { "shift ending before it starts", With(e => e["shifts"]![0]!["endsAt"] = "2030-06-15T09:00:00+02:00"), "shifts[0].endsAt" },
        { "shift capacity 0", With(e => e["shifts"]![0]!["capacity"] = 0), "shifts[0].capacity" },
        { "shift capacity negative", With(e => e["shifts"]![0]!["capacity"] = -3), "shifts[0].capacity" },
        { "shift capacity huge", With(e => e["shifts"]![0]!["capacity"] = 10_000_000_000L), "shifts[0].capacity" },
        { "shift minimum above capacity", With(e => e["shifts"]![0]!["minimum"] = 4), "shifts[0].minimum" },
        { "shift a day before the event", With(e => { e["shifts"]![0]!["startsAt"] = "2030-06-14T10:00:00+02:00"; e["shifts"]![0]!["endsAt"] = "2030-06-14T12:00:00+02:00"; }), "shifts[0].startsAt" },
        { "shift a day after the event", With(e => e["shifts"]![0]!["endsAt"] = "2030-06-16T13:00:00+02:00"), "shifts[0].endsAt" },
        { "shift time without an offset", With(e => e["shifts"]![0]!["startsAt"] = "2030-06-15T10:00:00"), "shifts[0].startsAt" },
        { "recurrence with until and count", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["until"] = "2030-12-31", ["count"] = 3 }), "recurrence" },
        { "recurrence without until or count", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday") }), "recurrence" },
        { "recurrence without weekdays", With(e => e["recurrence"] = new JsonObject { ["count"] = 3 }), "recurrence.weekdays" },
        { "recurrence with no weekday", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray(), ["count"] = 3 }), "recurrence.weekdays" },
        { "recurrence on an unknown weekday", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("caturday"), ["count"] = 3 }), "recurrence.weekdays[0]" },
        { "recurrence on a weekday number", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray(7), ["count"] = 3 }), "recurrence.weekdays[0]" },
        { "recurrence count 0", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["count"] = 0 }), "recurrence.count" },
        { "recurrence count 105", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["count"] = 105 }), "recurrence.count" },
        { "recurrence until years ahead", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["until"] = "2034-06-15" }), "recurrence.until" },
        { "recurrence until before the start", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["until"] = "2030-06-01" }), "recurrence.until" },
        // Issue 12: strict input. Each of these was accepted (or a 500) before.
        { "capacity as a string", With(e => e["shifts"]![0]!["capacity"] = "5"), "shifts[0].capacity" },
        { "kind in PascalCase", With(e => e["kind"] = "InfoStand"), "kind" },
        { "kind in upper case", With(e => e["kind"] = "INFO-STAND"), "kind" },
        { "an unknown member", With(e => e["volunteerId"] = "0190d5a0-0000-7000-8000-000000000000"), "volunteerId" },
        { "an unknown member in a shift", With(e => e["shifts"]![0]!["colour"] = "red"), "shifts[0].colour" },
        { "NUL in the title", With(e => e["title"] = "Info\u0000stand"), "title" },
        { "NUL in the location", With(e => e["location"]!["name"] = "\u0000"), "location.name" },
        { "a lone surrogate in the description", """{ "description": "\ud800" }""", "description" },
        { "recurrence until not a date", With(e => e["recurrence"] = new JsonObject { ["weekdays"] = new JsonArray("saturday"), ["until"] = "next year" }), "recurrence.until" },
    };

    [Theory]
    [MemberData(nameof(BadNewEvents))]
    public async Task Creating_an_event_with_bad_input_is_400_validation_naming_the_field(string @case, string json, string field)
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;

        using var response = await SendRawAsync(coordinator, HttpMethod.Post, $"/api/orgs/{org}/events", json);

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation", field);
        Assert.False(string.IsNullOrEmpty(@case));
    }

    [Fact]
    public async Task Creating_an_event_without_a_body_is_400_validation_and_the_valid_body_works()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;

        using var empty = await coordinator.PostAsync($"/api/orgs/{org}/events", null);
        await ExpectProblemAsync(empty, HttpStatusCode.BadRequest, "validation");
        using var nothing = await SendRawAsync(coordinator, HttpMethod.Post, $"/api/orgs/{org}/events", "null");
        await ExpectProblemAsync(nothing, HttpStatusCode.BadRequest, "validation");

        // The bodies above differ from this one only where they are wrong.
        using var valid = await SendRawAsync(coordinator, HttpMethod.Post, $"/api/orgs/{org}/events", ValidEvent);
        await ExpectAsync(valid, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Every_error_of_a_new_event_is_named_in_one_answer()
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var json = With(e =>
        {
            e["title"] = "";
            e["location"]!["name"] = "";
            e["endsAt"] = "2030-06-15T09:00:00+02:00";
            e["shifts"]![0]!["capacity"] = 0;
        });

        using var response = await SendRawAsync(coordinator, HttpMethod.Post, $"/api/orgs/{org}/events", json);

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal(
            new[] { "endsAt", "location.name", "shifts[0].capacity", "title" },
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("from=2030-06-15T10:00:00", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2030-06-15", "to")]
    [InlineData("to=9999-12-31T23:59:59Z", "to")]
    [InlineData("kind=party", "kind")]
    [InlineData("kind=InfoStand", "kind")]
    [InlineData("kind=%00", "kind")]
    [InlineData("cursor=a%00b", "cursor")]
    [InlineData("from=%00", "from")]
    public async Task Listing_events_with_bad_parameters_is_400_validation_naming_the_parameter(string query, string field)
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        using var anonymous = fixture.Client();

        await ExpectProblemAsync(await anonymous.GetAsync($"/api/orgs/{org}/events?{query}"), HttpStatusCode.BadRequest, "validation", field);
        await ExpectProblemAsync(await coordinator.GetAsync($"/api/orgs/{org}/events?{query}"), HttpStatusCode.BadRequest, "validation", field);
    }

    [Fact]
    public async Task Unknown_or_malformed_event_ids_are_404_on_every_endpoint()
    {
        var (_, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var unknown = Guid.NewGuid();
        var reschedule = new { startsAt = "2030-06-15T10:00:00+02:00", endsAt = "2030-06-15T12:00:00+02:00" };

        foreach (var id in new[] { unknown.ToString(), "not-a-guid", "42" })
        {
            await ExpectProblemAsync(await coordinator.GetAsync($"/api/events/{id}"), HttpStatusCode.NotFound, "not-found");
            await ExpectProblemAsync(await coordinator.PatchAsJsonAsync($"/api/events/{id}", new { title = "Neu" }), HttpStatusCode.NotFound, "not-found");
            await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{id}/publish", null), HttpStatusCode.NotFound, "not-found");
            await ExpectProblemAsync(await coordinator.PostAsync($"/api/events/{id}/postpone", null), HttpStatusCode.NotFound, "not-found");
            await ExpectProblemAsync(await coordinator.PostAsJsonAsync($"/api/events/{id}/reschedule", reschedule), HttpStatusCode.NotFound, "not-found");
            await ExpectProblemAsync(await coordinator.PostAsJsonAsync($"/api/events/{id}/cancel", new { reason = "x" }), HttpStatusCode.NotFound, "not-found");
        }
    }

    public static TheoryData<string, string, string, string> BadChanges => new()
    {
        { "PATCH", "", """{ "title": 5 }""", "title" },
        { "PATCH", "", """{ "title": "" }""", "title" },
        { "PATCH", "", $$"""{ "title": "{{new string('x', 201)}}" }""", "title" },
        { "PATCH", "", $$"""{ "description": "{{new string('x', 4001)}}" }""", "description" },
        { "PATCH", "", """{ "location": { "name": "" } }""", "location.name" },
        { "PATCH", "", $$"""{ "location": { "address": "{{new string('x', 301)}}" } }""", "location.address" },
        { "PATCH", "", """{ "title": "Neu", """, "body" },
        { "PATCH", "", "null", "request" },
        { "POST", "/publish?series=maybe", "{}", "series" },
        { "POST", "/postpone", $$"""{ "reason": "{{new string('x', 1001)}}" }""", "reason" },
        { "POST", "/postpone", """{ "reason": ["a"] }""", "reason" },
        { "POST", "/postpone", """{ "reason": """, "body" },
        { "POST", "/cancel", $$"""{ "reason": "{{new string('x', 1001)}}" }""", "reason" },
        { "POST", "/cancel", """{ "reason": 1 }""", "reason" },
        { "POST", "/reschedule", """{ "startsAt": "2030-06-15T10:00:00+02:00", "endsAt": "2030-06-15T09:00:00+02:00" }""", "endsAt" },
        { "POST", "/reschedule", """{ "startsAt": "2030-06-15T10:00:00", "endsAt": "2030-06-15T12:00:00+02:00" }""", "startsAt" },
        { "POST", "/reschedule", """{ "endsAt": "2030-06-15T12:00:00+02:00" }""", "startsAt" },
        { "POST", "/reschedule", """{ "startsAt": "2030-06-15T10:00:00+02:00", "endsAt": "2030-07-15T12:00:00+02:00" }""", "endsAt" },
        { "POST", "/reschedule", """{ "startsAt": "0001-01-01T00:00:00Z", "endsAt": "2030-06-15T12:00:00+02:00" }""", "startsAt" },
        { "POST", "/reschedule", """{ "startsAt": true, "endsAt": "2030-06-15T12:00:00+02:00" }""", "startsAt" },
        { "POST", "/reschedule", "", "request" },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task Changing_an_event_with_bad_input_is_400_validation_and_changes_nothing(string method, string action, string json, string field)
    {
        var (org, coordinator) = await CoordinatorAsync();
        using var _ = coordinator;
        var created = await CreateAsync(coordinator, org, Event(BerlinFuture(100, 10), BerlinFuture(100, 12)));
        var before = (await GetAsync(coordinator, $"/api/events/{created.Id()}")).GetRawText();

        using var response = json.Length == 0
            ? await coordinator.PostAsync($"/api/events/{created.Id()}{action}", null)
            : await SendRawAsync(coordinator, new HttpMethod(method), $"/api/events/{created.Id()}{action}", json);

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation", field);
        Assert.Equal(before, (await GetAsync(coordinator, $"/api/events/{created.Id()}")).GetRawText());
    }

    private async Task<(string Org, HttpClient Coordinator)> CoordinatorAsync()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        return (org, fixture.Client(token));
    }

    private static string With(Action<JsonObject> change)
    {
        var body = JsonNode.Parse(ValidEvent)!.AsObject();
        change(body);
        return body.ToJsonString();
    }
}
