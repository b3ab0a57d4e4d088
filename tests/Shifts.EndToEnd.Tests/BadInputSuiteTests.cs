using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Issue 12's bad-input suite, generated from the three OpenAPI documents the gateway publishes:
/// for every operation, hostile values for each path parameter, query parameter and body field
/// (see <see cref="BadInputCatalogue"/>), sent through the gateway as an anonymous caller, a helper
/// and a coordinator. Never a 5xx; every 4xx is <c>application/problem+json</c> with a <c>code</c>.
/// An operation that is added to a service is covered by being in its OpenAPI document, and an
/// endpoint that is mapped but not documented fails <see cref="Every_endpoint_a_service_maps_is_in_its_OpenAPI_document"/>.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class BadInputSuiteTests(ShiftsSystem system, ITestOutputHelper output)
{
    /// <summary>Requests under way at once: enough to keep the run short, few enough for a shared CI machine.</summary>
    private const int Parallelism = 6;

    private static readonly string[] Services = ["volunteers", "events", "notifications"];

    [Fact]
    public async Task Every_operation_of_every_OpenAPI_document_gets_hostile_cases()
    {
        var operations = await OperationsAsync();
        var cases = BadInputCatalogue.CasesFor(operations, BadInputWorld.Placeholder);

        Assert.NotEmpty(operations);
        var uncovered = operations
            .Where(operation => !cases.Any(c => c.Operation == operation))
            .Select(operation => $"{operation.Service}: {operation}")
            .ToList();
        var unsupported = operations
            .SelectMany(operation => BadInputCatalogue.Unsupported(operation).Select(reason => $"{operation.Service}: {operation}: {reason}"))
            .ToList();
        Assert.True(uncovered.Count == 0 && unsupported.Count == 0,
            "The suite produced no cases for these operations, or could not read part of their description:\n" + string.Join("\n", uncovered.Concat(unsupported)));
        // Each operation gets path, query and (where it takes one) body cases, not a token one.
        foreach (var operation in operations.Where(o => o.HasBody))
        {
            Assert.Contains(cases, c => c.Operation == operation && c.Where.StartsWith("body", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_endpoint_a_service_maps_is_in_its_OpenAPI_document()
    {
        var operations = await OperationsAsync();
        var missing = new List<string>();
        foreach (var service in Services)
        {
            var documented = operations.Where(o => o.Service == service).Select(o => $"{o.Method} {o.Path}").ToHashSet(StringComparer.Ordinal);
            var endpoints = system.ServiceProviders[service].GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
            // The comparison must have something to compare: a service's own operations, not only its probes.
            Assert.Contains(endpoints, e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true);
            foreach (var endpoint in endpoints)
            {
                var path = BadInputCatalogue.NormalisePattern(endpoint.RoutePattern.RawText ?? "");
                // Health probes and the OpenAPI documents themselves are infrastructure, not API operations.
                if (path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal))
                {
                    continue;
                }

                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"];
                foreach (var method in methods)
                {
                    if (!documented.Contains($"{method} {path}"))
                    {
                        missing.Add($"{service}: {method} {path} ({endpoint.DisplayName})");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Mapped but not in the service's OpenAPI document (so the bad-input suite cannot cover them):\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task No_hostile_input_gets_a_5xx_and_every_4xx_is_problem_json_with_a_code()
    {
        var operations = await OperationsAsync();
        var world = await BadInputWorld.CreateAsync(system);
        var cases = BadInputCatalogue.CasesFor(operations, world);
        var failures = new ConcurrentBag<string>();
        var kestrelAnswered = new ConcurrentBag<string>();
        var sent = 0;

        // Operations that end the caller (erasure) run last, each case as a fresh stand-in, so the
        // personas keep their rights for everything else.
        var (ordinary, ending) = (cases.Where(c => !c.Operation.EndsCaller).ToList(), cases.Where(c => c.Operation.EndsCaller).ToList());
        using var gate = new SemaphoreSlim(Parallelism);
        // Header values as UTF-8 (HttpClient refuses non-ASCII ones by default), as a hostile client would send them.
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = system.Gateway.BaseAddress };
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in new[] { ordinary, ending })
        {
            await Task.WhenAll(batch.SelectMany(c => Enum.GetValues<BadInputWorld.Persona>().Select(persona => (c, persona))).Select(async item =>
            {
                await gate.WaitAsync();
                try
                {
                    var (@case, persona) = item;
                    var token = @case.Operation.EndsCaller ? await world.StandInTokenAsync(persona) : world.TokenOf(persona);
                    using var request = @case.Request();
                    if (token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    }

                    Interlocked.Increment(ref sent);
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    var verdict = Judge(@case, response, body);
                    if (verdict == Verdict.KestrelAnswered)
                    {
                        kestrelAnswered.Add($"{@case} as {persona}");
                    }
                    else if (verdict != Verdict.Fine)
                    {
                        failures.Add($"{@case} as {persona}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType ?? "(no content type)"} ({verdict}): {Excerpt(body)}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{item.c} as {item.persona}: the connection failed: {ex.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        output.WriteLine($"{sent} requests ({cases.Count} cases over {operations.Count} operations, three personas) in {clock.Elapsed.TotalSeconds:0.0} s; "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        output.WriteLine($"Answered by Kestrel before the pipeline (400, empty body): {kestrelAnswered.Count}");
        Assert.True(failures.IsEmpty,
            $"{failures.Count} of {sent} hostile requests ({cases.Count} cases over {operations.Count} operations, three personas) were answered wrongly:\n"
            + string.Join("\n", failures.Order(StringComparer.Ordinal)));
        // The one class Kestrel answers itself before any application code (see StrictRequests): said, not hidden.
        Assert.All(kestrelAnswered, entry => Assert.Contains("%00", entry, StringComparison.Ordinal));
    }

    private enum Verdict
    {
        Fine,
        ServerError,
        NotProblemJson,
        NoCode,
        KestrelAnswered,

        /// <summary>A 2xx for input that no endpoint may take (NUL, a lone surrogate, an unknown member).</summary>
        Accepted,
    }

    private static Verdict Judge(BadInputCase @case, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return Verdict.ServerError;
        }

        if (status < 400)
        {
            // The web app's index.html answers paths outside /api the gateway does not route
            // (GET /.well-known/openid-configuration is documented, but only services read it, directly).
            var servedByTheWebApp = response.Content.Headers.ContentType?.MediaType == "text/html";
            return @case.MustBeRefused && !servedByTheWebApp ? Verdict.Accepted : Verdict.Fine;
        }

        // Kestrel rejects a %00 in the path while parsing the request line: 400 with an empty body,
        // no application code runs (UrlDecoder throws "The path contains null characters.").
        if (@case.KestrelRejects && status == 400 && body.Length == 0)
        {
            return Verdict.KestrelAnswered;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return Verdict.NotProblemJson;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
                ? Verdict.Fine
                : Verdict.NoCode;
        }
        catch (JsonException)
        {
            return Verdict.NotProblemJson;
        }
    }

    private static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private async Task<IReadOnlyList<BadInputOperation>> OperationsAsync()
    {
        var operations = new List<BadInputOperation>();
        foreach (var service in Services)
        {
            var document = await system.Gateway.GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");
            operations.AddRange(BadInputCatalogue.Operations(service, document));
        }

        return operations;
    }
}

/// <summary>The organisation, people and resources the suite's requests name, so hostile values meet real ones.</summary>
public sealed class BadInputWorld
{
    public enum Persona
    {
        Anonymous,
        Helper,
        Coordinator,
    }

    /// <summary>For generating cases without a system (the coverage test): names only, no tokens.</summary>
    public static readonly BadInputWorld Placeholder = new(null);

    private readonly ShiftsSystem? _system;
    private readonly Dictionary<Persona, string?> _tokens = new() { [Persona.Anonymous] = null };

    private BadInputWorld(ShiftsSystem? system)
    {
        _system = system;
    }

    public string Org { get; private set; } = "bad-input-org";

    public Guid EventId { get; private set; } = Guid.NewGuid();

    public Guid ShiftId { get; private set; } = Guid.NewGuid();

    public Guid VolunteerId { get; private set; } = Guid.NewGuid();

    public string QualificationCode { get; } = "first-aid";

    private string PlatformAdminToken { get; set; } = "";

    public string? TokenOf(Persona persona) => _tokens[persona];

    /// <summary>A real value for a path parameter, by name; null where the suite knows none.</summary>
    public string? ValueFor(string parameter) => parameter switch
    {
        "org" => Org,
        "eventId" => EventId.ToString(),
        "shiftId" => ShiftId.ToString(),
        "volunteerId" or "memberId" => VolunteerId.ToString(),
        "code" => QualificationCode,
        _ => null,
    };

    public static async Task<BadInputWorld> CreateAsync(ShiftsSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var world = new BadInputWorld(system) { Org = $"bi-{Guid.NewGuid():N}"[..20] };
        world.PlatformAdminToken = await system.AccessTokenAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await world.SendAsync(world.PlatformAdminToken, HttpMethod.Post, "/api/orgs", new { slug = world.Org, name = "Bad input", timeZone = "Europe/Berlin" }));
        var coordinator = await world.AddMemberAsync("coordinator");
        var helper = await world.AddMemberAsync("helper");
        world._tokens[Persona.Coordinator] = system.Tokens.Mint(coordinator, "Coordinator", [(world.Org, "coordinator")]);
        world._tokens[Persona.Helper] = system.Tokens.Mint(helper, "Helper", [(world.Org, "helper")]);
        world.VolunteerId = helper;
        await Http.ExpectAsync(HttpStatusCode.Created, await world.SendAsync(world._tokens[Persona.Coordinator], HttpMethod.Post, $"/api/orgs/{world.Org}/qualifications", new { code = world.QualificationCode, name = "Erste Hilfe" }));

        // The events service learns of the organisation over RabbitMQ: retry until it knows it.
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(90).AddHours(8), TimeSpan.Zero);
        var newEvent = new
        {
            title = "Infostand",
            kind = "info-stand",
            location = new { name = "Marktplatz" },
            startsAt = start,
            endsAt = start.AddHours(8),
            shifts = new[] { new { title = "Standbetreuung", startsAt = start, endsAt = start.AddHours(2), capacity = 50 } },
        };
        var response = await Http.EventuallyAsync(() => world.SendAsync(world._tokens[Persona.Coordinator], HttpMethod.Post, $"/api/orgs/{world.Org}/events", newEvent), HttpStatusCode.Created);
        var created = await Http.ExpectAsync(HttpStatusCode.Created, response);
        world.EventId = created.GetProperty("id").GetGuid();
        world.ShiftId = created.GetProperty("shifts")[0].GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await world.SendAsync(world._tokens[Persona.Coordinator], HttpMethod.Post, $"/api/events/{world.EventId}/publish", null));
        return world;
    }

    /// <summary>A new person of the organisation in the persona's role, for an operation that ends its caller.</summary>
    public async Task<string?> StandInTokenAsync(Persona persona)
    {
        if (persona == Persona.Anonymous)
        {
            return null;
        }

        var role = persona == Persona.Coordinator ? "coordinator" : "helper";
        var id = await AddMemberAsync(role);
        return _system!.Tokens.Mint(id, "Stand-in", [(Org, role)]);
    }

    private async Task<Guid> AddMemberAsync(string role)
    {
        // Invited by the platform admin and confirmed from the mail, as the person would; then known to every replica.
        var email = $"bad-input-{Guid.NewGuid():N}@example.org";
        using var admin = new HttpClient { BaseAddress = _system!.Gateway.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlatformAdminToken);
        var id = await _system.AddMemberAsync(admin, Org, new { name = $"Bad Input {role}", email, role }, email);
        await _system.WaitForMembershipAsync(id, Org, role);
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(string? token, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _system!.Gateway.SendAsync(request);
    }
}
