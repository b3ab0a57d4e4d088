using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Shifts.Gateway;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Four lists name the public endpoints, and none may drift from the others: what each service maps
/// (its <see cref="EndpointDataSource"/>), what the gateway forwards (<see cref="GatewayRoutes"/>),
/// what each service's OpenAPI document describes, and the rows of <see cref="AuthorizationMatrixTests"/>.
/// Paths are compared with their parameters' names and constraints dropped (<c>{eventId:guid}</c>
/// and a matrix row's <c>{published A}</c> are both <c>{}</c>).
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed partial class EndpointCoverageTests(ShiftsSystem system)
{
    private static readonly string[] Services = [GatewayRoutes.Volunteers, GatewayRoutes.Events, GatewayRoutes.Notifications];

    /// <summary>
    /// Endpoints every service maps that are infrastructure, not API: the health probes
    /// (<c>/health/live</c>, <c>/health/ready</c>) and the OpenAPI documents themselves
    /// (<c>/openapi/{documentName}.json</c>, reached through the gateway's /openapi/{service}.json routes,
    /// which this test checks separately). No service maps a metrics endpoint (metrics leave by OTLP).
    /// Exact patterns, so a new endpoint beside them is not ignored.
    /// </summary>
    private static readonly HashSet<string> Infrastructure = ["/health/live", "/health/ready", "/openapi/{}.json"];

    [Fact]
    public async Task Mapped_endpoints_gateway_routes_OpenAPI_documents_and_the_authorization_matrix_agree()
    {
        var all = Services.SelectMany(MappedEndpoints).ToList();
        var mapped = all.Where(e => !Infrastructure.Contains(e.Path)).ToList();
        foreach (var service in Services)
        {
            // The comparison must have something to compare: each service's own operations, not only its probes.
            Assert.Contains(mapped, e => e.Service == service && e.Path.StartsWith("/api/", StringComparison.Ordinal));
        }

        var drift = new List<string>();
        drift.AddRange(GatewayDrift(mapped, all));
        drift.AddRange(await OpenApiDriftAsync(mapped));
        drift.AddRange(MatrixDrift(mapped));

        Assert.True(drift.Count == 0, $"{drift.Count} disagreements between the mapped endpoints, the gateway, the OpenAPI documents and the authorization matrix:\n" + string.Join("\n", drift));
    }

    // ------------------------------------------------------------------ (a) what the services map

    /// <summary>One method and route of one service; <see cref="Path"/> normalised (see <see cref="Normalise"/>).</summary>
    private sealed record Endpoint(string Service, string Method, string Path, string Pattern)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private IEnumerable<Endpoint> MappedEndpoints(string service) =>
        system.ServiceProviders[service].GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var pattern = endpoint.RoutePattern.RawText ?? "";
                // An endpoint for any method would be a gap in every comparison below: it is named as one.
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"];
                return methods.Select(method => new Endpoint(service, method, Normalise(pattern), pattern));
            })
            .Distinct();

    /// <summary>
    /// A route pattern, OpenAPI path or matrix row path with every parameter written <c>{}</c> (a
    /// catch-all <c>{**}</c>), no query and no trailing slash: <c>/api/events/{eventId:guid}/</c>,
    /// <c>/api/events/{eventId}</c> and <c>/api/events/{published A}?x=1</c> are all <c>/api/events/{}</c>.
    /// </summary>
    private static string Normalise(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        path = query < 0 ? path : path[..query];
        path = Parameter().Replace(path, match => match.Groups[1].Success ? "{**}" : "{}");
        return "/" + path.Trim('/');
    }

    [GeneratedRegex(@"\{(\*{1,2})?[^}]*\}")]
    private static partial Regex Parameter();

    // ------------------------------------------------------------------ (b) the gateway's routes

    /// <summary>
    /// Every route the gateway forwards to a service reaches at least one endpoint of that service
    /// (a route nothing serves is drift, not a reservation), every public endpoint is reached through
    /// a route to its own service (not the web app's catch-all, and not another service's route), and
    /// the OpenAPI routes' rewritten paths are mapped by their service.
    /// </summary>
    private static IEnumerable<string> GatewayDrift(IReadOnlyList<Endpoint> mapped, IReadOnlyList<Endpoint> all)
    {
        var routes = GatewayRoutes.Routes()
            .Select(route => new GatewayRoute(route.ClusterId!, route.Match.Path!, route.Order ?? 0,
                route.Transforms?.SelectMany(t => t).FirstOrDefault(t => t.Key == "PathSet").Value))
            .ToList();

        // Which route the gateway chooses for a path: the lowest order, then ASP.NET's routing precedence
        // (a literal segment before a parameter before a catch-all), as YARP's endpoints are matched.
        // The gateway's own 404s for unowned /api, /.well-known, ... paths (Program.cs) are not modelled:
        // a path that only they or the web app's catch-all would take is unreachable either way.
        GatewayRoute? Chosen(string path) => routes
            .Where(route => route.Matches(path))
            .OrderBy(route => route.Order)
            .ThenBy(route => RoutePrecedence.ComputeInbound(route.Template))
            .FirstOrDefault();

        var reached = new HashSet<GatewayRoute>();
        foreach (var endpoint in mapped)
        {
            var route = Chosen(Sample(endpoint.Path));
            if (route is null || route.Cluster != endpoint.Service)
            {
                var where = route is null || route.Cluster == GatewayRoutes.Web
                    ? "no gateway route to a service takes it (only the web app's /{**path}, which never gets /api, /openapi, /.well-known or /health paths: Program.cs answers them 404)"
                    : $"the gateway sends it to {route.Cluster} ({route.Path})";
                yield return $"gateway: {endpoint.Service} maps {endpoint} ({endpoint.Pattern}), but {where}: add a route to {endpoint.Service} in GatewayRoutes.Table";
                continue;
            }

            reached.Add(route);
        }

        foreach (var route in routes.Where(r => r.Cluster != GatewayRoutes.Web))
        {
            if (route.PathSet is { } target)
            {
                if (!all.Any(e => e.Service == route.Cluster && e.Method == "GET" && Matches(e.Pattern, target)))
                {
                    yield return $"gateway: the route {route.Path} is rewritten to GET {target} at {route.Cluster}, which maps no such endpoint";
                }
            }
            else if (!reached.Contains(route))
            {
                yield return $"gateway: the route {route.Path} forwards to {route.Cluster}, but no endpoint {route.Cluster} maps is reached through it: remove the route from GatewayRoutes.Table (or map the endpoint)";
            }
        }
    }

    private sealed record GatewayRoute(string Cluster, string Path, int Order, string? PathSet)
    {
        public RouteTemplate Template { get; } = TemplateParser.Parse(Path.TrimStart('/'));

        public bool Matches(string path) => new TemplateMatcher(Template, new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());
    }

    private static bool Matches(string pattern, string path) =>
        new TemplateMatcher(TemplateParser.Parse(pattern.TrimStart('/')), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());

    /// <summary>A path a request to the endpoint could have: each parameter a value no literal segment has.</summary>
    private static string Sample(string normalisedPath) => normalisedPath.Replace("{**}", "sample", StringComparison.Ordinal).Replace("{}", "sample", StringComparison.Ordinal);

    // ------------------------------------------------------------------ (c) the OpenAPI documents

    /// <summary>Each service's document (as the gateway publishes it) names exactly the public endpoints the service maps.</summary>
    private async Task<IEnumerable<string>> OpenApiDriftAsync(IReadOnlyList<Endpoint> mapped)
    {
        var drift = new List<string>();
        foreach (var service in Services)
        {
            using var response = await system.Gateway.GetAsync($"/openapi/{service}.json");
            if (!response.IsSuccessStatusCode)
            {
                drift.Add($"openapi: GET /openapi/{service}.json at the gateway answers {(int)response.StatusCode}, not {service}'s document");
                continue;
            }

            var document = await response.Content.ReadFromJsonAsync<JsonElement>();
            var documented = document.GetProperty("paths").EnumerateObject()
                .SelectMany(path => path.Value.EnumerateObject()
                    .Where(operation => operation.Name is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace")
                    .Select(operation => (Method: operation.Name.ToUpperInvariant(), Path: Normalise(path.Name), Written: path.Name)))
                .ToList();
            var ours = mapped.Where(e => e.Service == service).ToList();
            drift.AddRange(ours
                .Where(e => !documented.Any(d => d.Method == e.Method && d.Path == e.Path))
                .Select(e => $"openapi: {service} maps {e} ({e.Pattern}), but /openapi/{service}.json does not document it"));
            drift.AddRange(documented
                .Where(d => !ours.Any(e => e.Method == d.Method && e.Path == d.Path))
                .Select(d => $"openapi: /openapi/{service}.json documents {d.Method} {d.Written}, but {service} maps no such endpoint"));
        }

        return drift;
    }

    // ------------------------------------------------------------------ (d) the authorization matrix

    /// <summary>
    /// Every public endpoint has at least one row of <see cref="AuthorizationMatrixTests"/> (which
    /// the states of AuthorizationMatrixTests.States.cs run again), and every row names a mapped endpoint.
    /// </summary>
    private static IEnumerable<string> MatrixDrift(IReadOnlyList<Endpoint> mapped)
    {
        var rows = AuthorizationMatrixTests.Endpoints.Cast<object[]>().Select(data => (string)data[0]).Select(row => (Row: row, Call: MatrixCall(row))).ToList();
        foreach (var endpoint in mapped.Where(e => !rows.Any(r => r.Call == (e.Method, e.Path))))
        {
            yield return $"matrix: {endpoint.Service} maps {endpoint} ({endpoint.Pattern}), but AuthorizationMatrixTests.Rows has no row for it";
        }

        foreach (var (row, call) in rows.Where(r => !mapped.Any(e => (e.Method, e.Path) == r.Call)))
        {
            yield return $"matrix: the row \"{row}\" calls {call.Method} {call.Path}, which no service maps";
        }
    }

    /// <summary>
    /// The method and normalised path of a matrix row's name, e.g. "DELETE /api/orgs/{A}/members/{fresh helper}"
    /// or "GET /api/orgs/{A}/shifts?open=true" or "POST /api/orgs/{A}/members (helper)": the path ends at
    /// the first space outside braces.
    /// </summary>
    private static (string Method, string Path) MatrixCall(string row)
    {
        var space = row.IndexOf(' ', StringComparison.Ordinal);
        var path = new StringBuilder();
        var depth = 0;
        foreach (var character in row[(space + 1)..])
        {
            depth += character switch { '{' => 1, '}' => -1, _ => 0 };
            if (character == ' ' && depth == 0)
            {
                break;
            }

            path.Append(character);
        }

        return (row[..space], Normalise(path.ToString()));
    }
}
