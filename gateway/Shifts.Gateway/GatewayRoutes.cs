using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;
using Yarp.ReverseProxy.Configuration;

namespace Shifts.Gateway;

/// <summary>
/// Which service owns which public path. Kept as one readable table: a newcomer finds
/// where a request goes without reading configuration files. Addresses come from
/// <c>Services:Volunteers</c>, <c>Services:Events</c>, <c>Services:Notifications</c> and <c>Services:Web</c>.
/// </summary>
public static class GatewayRoutes
{
    public const string Volunteers = "volunteers";
    public const string Events = "events";
    public const string Notifications = "notifications";
    public const string Web = "web";

    /// <summary>
    /// Path patterns per service, and whether the gateway already demands a signed-in caller
    /// (<see cref="Access.SignedIn"/>) or lets anonymous callers through to the service, which
    /// decides (<see cref="Access.Anyone"/>: login, sign-up, published events, calendar feeds).
    /// A token that is present must be valid on every route. Where two patterns could match, the
    /// more specific literal wins (ASP.NET routing precedence).
    /// </summary>
    public static readonly IReadOnlyList<(string Cluster, string Path, Access Access)> Table =
    [
        (Volunteers, "/.well-known/jwks.json", Access.Anyone),
        (Volunteers, "/.well-known/openid-configuration", Access.Anyone),
        (Volunteers, "/api/auth/{**rest}", Access.Anyone),
        (Volunteers, "/api/orgs", Access.SignedIn),
        (Volunteers, "/api/orgs/{org}", Access.Anyone),
        (Volunteers, "/api/orgs/{org}/signup", Access.Anyone),
        (Volunteers, "/api/orgs/{org}/members/{**rest}", Access.SignedIn),
        (Volunteers, "/api/orgs/{org}/qualifications/{**rest}", Access.SignedIn),
        (Volunteers, "/api/me", Access.SignedIn),
        (Volunteers, "/api/me/export", Access.SignedIn),
        (Volunteers, "/api/me/email", Access.SignedIn),
        // Confirmation links are used by whoever holds the mail, signed in or not: the token decides.
        (Volunteers, "/api/me/email/confirm", Access.Anyone),
        (Volunteers, "/api/memberships/confirm", Access.Anyone),

        (Events, "/api/orgs/{org}/events/{**rest}", Access.Anyone),
        (Events, "/api/orgs/{org}/shifts/{**rest}", Access.SignedIn),
        (Events, "/api/orgs/{org}/gaps/{**rest}", Access.SignedIn),
        (Events, "/api/orgs/{org}/hours/{**rest}", Access.SignedIn),
        (Events, "/api/events/{**rest}", Access.Anyone),
        (Events, "/api/shifts/{**rest}", Access.SignedIn),
        (Events, "/api/me/shifts/{**rest}", Access.SignedIn),
        (Events, "/api/me/calendar/{**rest}", Access.SignedIn),
        (Events, "/api/calendar/{**rest}", Access.Anyone),
        (Events, "/api/invitations/{**rest}", Access.Anyone),

        (Notifications, "/api/me/notifications/{**rest}", Access.SignedIn),
        (Notifications, "/api/orgs/{org}/deliveries/{**rest}", Access.SignedIn),

        // Everything else is a page of the web app (Blazor, rendered on the server), which decides
        // itself who may see it; /api, /openapi, /.well-known and /health never fall through to it
        // (Program.cs answers unknown paths there with a 404 problem).
        (Web, "/{**path}", Access.Anyone),
    ];

    public enum Access
    {
        Anyone,
        SignedIn,
    }

    public static IReadOnlyList<RouteConfig> Routes() =>
        Table.Select((entry, index) => new RouteConfig
        {
            RouteId = $"{entry.Cluster}-{index}",
            ClusterId = entry.Cluster,
            Match = new RouteMatch { Path = entry.Path },
            AuthorizationPolicy = entry.Access == Access.SignedIn ? ShiftsAuthentication.SignedIn : "anonymous",
            // The web app's catch-all comes after every other endpoint, the 404s of Program.cs included.
            Order = entry.Cluster == Web ? int.MaxValue : null,
            // The web app builds absolute addresses (redirects after a form post, to the login page)
            // from the Host it is asked for: that must be the gateway's, not its own loopback port,
            // or the browser is sent past the gateway (and CSP form-action stops a post's redirect).
            Transforms = entry.Cluster == Web ? [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }] : null,
        })
        // Each service's OpenAPI document, published as /openapi/{service}.json for the reference page.
        .Concat(new[] { Volunteers, Events, Notifications }.Select(service => new RouteConfig
        {
            RouteId = $"{service}-openapi",
            ClusterId = service,
            Match = new RouteMatch { Path = $"/openapi/{service}.json" },
            AuthorizationPolicy = "anonymous",
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
        }))
        .ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        new[] { Volunteers, Events, Notifications, Web }.Select(name => new ClusterConfig
        {
            ClusterId = name,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [name] = new() { Address = ServiceAddress(configuration, name) },
            },
        }).ToList();

    public static string ServiceAddress(IConfiguration configuration, string name)
    {
        var key = $"Services:{char.ToUpperInvariant(name[0])}{name[1..]}";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            throw new StartupException($"{key} must be the {name} service's base address (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}, e.g. http://127.0.0.1:5102).");
        }

        return value;
    }
}
