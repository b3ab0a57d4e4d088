using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Events.Tests.Api;

/// <summary>
/// The events service's OpenAPI document (/openapi/v1.json, published by the gateway as events.json)
/// is what a client generator reads: every operation has a feature tag, a summary, its success
/// response and every problem it can answer with its codes; query parameters have their types.
/// </summary>
[Collection(nameof(EventsCollection))]
public sealed class OpenApiDocumentTests(EventsFixture fixture)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private static readonly HashSet<string> FeatureTags = new(StringComparer.Ordinal) { "Events", "Shifts", "Claims", "My shifts", "Calendar", "Plans", "Attendance", "Coordination", "Messages", "Invitations" };

    [Fact]
    public async Task Every_operation_has_a_feature_tag_a_summary_a_success_and_the_503()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var operations = 0;
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var tags = operation.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
                Assert.True(tags.Count == 1 && FeatureTags.Contains(tags[0]), $"{name} is tagged by feature, not [{string.Join(", ", tags)}]");
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{name} has a summary");
                var responses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.True(responses.Any(r => r.StartsWith('2')), $"{name} documents its success: [{string.Join(", ", responses)}]");
                Assert.Contains("503", responses);
                if (operation.Value.TryGetProperty("security", out _))
                {
                    Assert.Contains("401", responses);
                }
            }
        }

        Assert.True(operations >= 20, $"the document lists the events service's operations ({operations})");
    }

    [Fact]
    public async Task The_claim_documents_its_answers_and_every_problem_code()
    {
        var claim = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/shifts/{shiftId}/claims").GetProperty("post");
        var responses = claim.GetProperty("responses");

        foreach (var status in new[] { "200", "201", "400", "401", "403", "404", "409", "503" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"the claim documents {status}");
        }

        Assert.Equal("#/components/schemas/ClaimView", responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal(["shift-full", "overlapping-claim", "shift-closed", "idempotency-key-reused"], Codes(responses, "409"));
        Assert.Equal(["forbidden", "qualification-required"], Codes(responses, "403"));
        Assert.Equal(["unauthenticated"], Codes(responses, "401"));
        Assert.Equal(["unavailable"], Codes(responses, "503"));
        Assert.Equal("#/components/schemas/Problem", responses.GetProperty("409").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Contains(claim.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.True(claim.TryGetProperty("security", out _), "the claim names the bearer scheme");
    }

    [Theory]
    [InlineData("/api/shifts/{shiftId}/waitlist", "post", "409", new[] { "shift-closed", "already-claimed", "shift-not-full" })]
    [InlineData("/api/shifts/{shiftId}/claims/mine", "delete", "409", new[] { "cancellation-deadline-passed" })]
    [InlineData("/api/shifts/{shiftId}", "patch", "409", new[] { "capacity-below-confirmed" })]
    [InlineData("/api/events/{eventId}/publish", "post", "409", new[] { "event-cancelled", "event-postponed" })]
    [InlineData("/api/events/{eventId}/postpone", "post", "409", new[] { "event-cancelled", "event-not-published" })]
    [InlineData("/api/events/{eventId}/shifts", "post", "409", new[] { "event-cancelled" })]
    [InlineData("/api/orgs/{org}/shifts", "get", "403", new[] { "forbidden" })]
    [InlineData("/api/calendar/{feedToken}.ics", "get", "404", new[] { "not-found" })]
    public async Task Problems_are_documented_with_their_codes(string path, string method, string status, string[] codes)
    {
        var responses = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.Equal(codes, Codes(responses, status));
    }

    [Fact]
    public async Task Query_parameters_have_their_types()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var shifts = Parameters(paths.GetProperty("/api/orgs/{org}/shifts").GetProperty("get"));
        Assert.Equal("integer", shifts["limit"].GetProperty("type").GetString());
        Assert.Equal(100, shifts["limit"].GetProperty("maximum").GetInt32());
        Assert.Equal("date-time", shifts["from"].GetProperty("format").GetString());
        Assert.Equal("date-time", shifts["to"].GetProperty("format").GetString());
        Assert.Equal("boolean", shifts["open"].GetProperty("type").GetString());
        Assert.Equal("boolean", shifts["newcomerFriendly"].GetProperty("type").GetString());
        Assert.Equal("string", shifts["cursor"].GetProperty("type").GetString());

        var events = Parameters(paths.GetProperty("/api/orgs/{org}/events").GetProperty("get"));
        Assert.Equal("integer", events["limit"].GetProperty("type").GetString());
        Assert.Equal("date-time", events["from"].GetProperty("format").GetString());
        Assert.Equal("boolean", Parameters(paths.GetProperty("/api/events/{eventId}/publish").GetProperty("post"))["series"].GetProperty("type").GetString());
        Assert.Equal("date-time", Parameters(paths.GetProperty("/api/me/shifts").GetProperty("get"))["from"].GetProperty("format").GetString());
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.Client();
        return await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    private static string[] Codes(JsonElement responses, string status) =>
        [.. responses.GetProperty(status).GetProperty("x-problem-codes").EnumerateArray().Select(c => c.GetString()!)];

    private static Dictionary<string, JsonElement> Parameters(JsonElement operation) =>
        operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"), StringComparer.Ordinal);
}
