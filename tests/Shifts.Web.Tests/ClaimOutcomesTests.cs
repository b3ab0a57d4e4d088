using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Shifts.Web.Api;
using Shifts.Web.Components.Claiming;

namespace Shifts.Web.Tests;

/// <summary>
/// What the words of a refusal need is looked up from the API's answers (JSON as the gateway
/// sends it, from a stand-in for the gateway on the HTTP level).
/// </summary>
public sealed class ClaimOutcomesTests
{
    private static readonly Guid ShiftId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
    private static readonly Guid OtherId = Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa");

    private sealed class Gateway(Func<HttpRequestMessage, (HttpStatusCode, string)> answer) : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add($"{request.Method} {request.RequestUri!.PathAndQuery}" + (request.Headers.TryGetValues("Idempotency-Key", out var keys) ? $" key={keys.Single()}" : ""));
            var (status, json) = answer(request);
            return Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent(json, Encoding.UTF8, status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json"),
            });
        }
    }

    private static (ShiftsApi Api, OrganisationNames Organisations) Connect(Gateway gateway)
    {
        var api = new ShiftsApi(new HttpClient(gateway) { BaseAddress = new Uri("http://gateway.test/") }, new HttpContextAccessor());
        return (api, new OrganisationNames(api, new MemoryCache(new MemoryCacheOptions())));
    }

    private const string Organisation = """{"slug":"kv-mitte-ost","name":"Kreisverband Mitte/Ost","timeZone":"Europe/Berlin","cancellationDeadline":"PT24H"}""";

    private static string ShiftJson(Guid id, string title, string start, string end) => $$"""
        {"id":"{{id}}","eventId":"0193a1b2-0000-7000-8000-0000000000ee","org":"kv-mitte-ost","eventTitle":"Infostand im Viertel","eventStatus":"published",
         "kind":"info-stand","title":"{{title}}","startsAt":"{{start}}","endsAt":"{{end}}","timeZone":"Europe/Berlin",
         "location":{"name":"Sielwall-Kreuzung","address":null},"capacity":2,"minimum":2,"confirmed":2,"waitlisted":0,
         "requiredQualification":null,"newcomerFriendly":false,"status":"open","claimants":[{"volunteerId":"0193a1b2-0000-7000-8000-0000000000cc","name":"Greta"}]}
        """;

    [Fact]
    public async Task An_overlap_is_answered_with_the_other_shift_read_from_the_API()
    {
        var gateway = new Gateway(request => request.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/claims", StringComparison.Ordinal) => (HttpStatusCode.Conflict,
                $$"""{"status":409,"code":"overlapping-claim","detail":"overlaps","conflictingShiftId":"{{OtherId}}"}"""),
            var p when p == $"/api/shifts/{OtherId}" => (HttpStatusCode.OK, ShiftJson(OtherId, "Aufbau", "2026-12-05T09:30:00+01:00", "2026-12-05T10:15:00+01:00")),
            "/api/orgs/kv-mitte-ost" => (HttpStatusCode.OK, Organisation),
            _ => (HttpStatusCode.NotFound, """{"code":"not-found"}"""),
        });
        var (api, organisations) = Connect(gateway);

        var outcome = await ClaimOutcomes.ClaimAsync(api, organisations, ComponentTest.Shift(id: ShiftId), "key-7");

        Assert.False(outcome.Succeeded);
        Assert.Equal("Aufbau", outcome.ConflictingShift?.Title);
        Assert.Equal(OtherId, outcome.ConflictingShift?.Id);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 30, 0, TimeSpan.Zero), outcome.ConflictingShift?.StartsAt);
        Assert.Equal("Kreisverband Mitte/Ost", outcome.OrganisationName);
        Assert.Equal("Europe/Berlin", outcome.TimeZone);
        Assert.Contains($"POST /api/shifts/{ShiftId}/claims key=key-7", gateway.Asked);
    }

    [Fact]
    public async Task A_missing_qualification_is_named_from_the_organisations_list()
    {
        var gateway = new Gateway(request => request.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/claims", StringComparison.Ordinal) => (HttpStatusCode.Forbidden,
                """{"status":403,"code":"qualification-required","qualification":"first-aid"}"""),
            "/api/orgs/kv-mitte-ost/qualifications" => (HttpStatusCode.OK, """{"items":[{"code":"awareness","name":"Awareness-Schulung"},{"code":"first-aid","name":"Erste Hilfe"}]}"""),
            "/api/orgs/kv-mitte-ost" => (HttpStatusCode.OK, Organisation),
            _ => (HttpStatusCode.NotFound, """{"code":"not-found"}"""),
        });
        var (api, organisations) = Connect(gateway);

        var outcome = await ClaimOutcomes.ClaimAsync(api, organisations, ComponentTest.Shift(id: ShiftId, qualification: "first-aid"), "key-8");

        Assert.Equal("Erste Hilfe", outcome.QualificationName);
    }

    [Fact]
    public async Task A_claim_answered_200_is_marked_as_already_held()
    {
        var gateway = new Gateway(_ => (HttpStatusCode.OK,
            $$"""{"id":"0193a1b2-0000-7000-8000-0000000000dd","shiftId":"{{ShiftId}}","volunteerId":"0193a1b2-0000-7000-8000-0000000000cc","status":"confirmed","createdAt":"2026-12-01T10:00:00Z"}"""));
        var (api, organisations) = Connect(gateway);

        var outcome = await ClaimOutcomes.ClaimAsync(api, organisations, ComponentTest.Shift(id: ShiftId), "key-9");

        Assert.True(outcome.Succeeded);
        Assert.True(outcome.AlreadyHeld);
    }

    [Fact]
    public async Task A_gateway_that_cannot_be_reached_is_unavailable_not_an_exception()
    {
        var gateway = new Gateway(_ => throw new HttpRequestException("connection refused"));
        var (api, organisations) = Connect(gateway);

        var outcome = await ClaimOutcomes.ClaimAsync(api, organisations, ComponentTest.Shift(id: ShiftId), "key-10");

        Assert.Equal(ApiProblem.Unavailable, outcome.Problem?.Code);
    }

    [Fact]
    public async Task A_passed_deadline_is_taken_from_the_problem()
    {
        var gateway = new Gateway(request => request.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/claims/mine", StringComparison.Ordinal) => (HttpStatusCode.Conflict,
                """{"status":409,"code":"cancellation-deadline-passed","deadline":"2026-12-04T09:00:00+00:00"}"""),
            "/api/orgs/kv-mitte-ost" => (HttpStatusCode.OK, Organisation),
            _ => (HttpStatusCode.NotFound, """{"code":"not-found"}"""),
        });
        var (api, organisations) = Connect(gateway);

        var outcome = await ClaimOutcomes.GiveBackAsync(api, organisations, ComponentTest.Shift(id: ShiftId));

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), outcome.Deadline);
        Assert.Contains($"DELETE /api/shifts/{ShiftId}/claims/mine", gateway.Asked);
    }
}
