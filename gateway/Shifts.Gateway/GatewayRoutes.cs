using Shifts.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;

namespace Shifts.Gateway;

/// <summary>
/// Which service owns which public path (API.md). Kept as one readable table: a newcomer finds
/// where a request goes without reading configuration files. Addresses come from
/// <c>Services:Volunteers</c>, <c>Services:Events</c> and <c>Services:Notifications</c>.
/// </summary>
public static class GatewayRoutes
{
    public const string Volunteers = "volunteers";
    public const string Events = "events";
    public const string Notifications = "notifications";

    /// <summary>Path patterns per service. Where two patterns could match, the more specific literal wins (ASP.NET routing precedence).</summary>
    public static readonly IReadOnlyList<(string Cluster, string Path)> Table =
    [
        (Volunteers, "/.well-known/jwks.json"),
        (Volunteers, "/api/auth/{**rest}"),
        (Volunteers, "/api/orgs"),
        (Volunteers, "/api/orgs/{org}"),
        (Volunteers, "/api/orgs/{org}/signup"),
        (Volunteers, "/api/orgs/{org}/members/{**rest}"),
        (Volunteers, "/api/orgs/{org}/qualifications/{**rest}"),
        (Volunteers, "/api/me"),
        (Volunteers, "/api/me/export"),

        (Events, "/api/orgs/{org}/events/{**rest}"),
        (Events, "/api/orgs/{org}/shifts/{**rest}"),
        (Events, "/api/orgs/{org}/gaps/{**rest}"),
        (Events, "/api/events/{**rest}"),
        (Events, "/api/shifts/{**rest}"),
        (Events, "/api/me/shifts/{**rest}"),
        (Events, "/api/me/calendar/{**rest}"),
        (Events, "/api/calendar/{**rest}"),

        (Notifications, "/api/me/notifications/{**rest}"),
        (Notifications, "/api/orgs/{org}/deliveries/{**rest}"),
    ];

    public static IReadOnlyList<RouteConfig> Routes() =>
        Table.Select((entry, index) => new RouteConfig
        {
            RouteId = $"{entry.Cluster}-{index}",
            ClusterId = entry.Cluster,
            Match = new RouteMatch { Path = entry.Path },
        }).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        new[] { Volunteers, Events, Notifications }.Select(name => new ClusterConfig
        {
            ClusterId = name,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [name] = new() { Address = ServiceAddress(configuration, name) },
            },
        }).ToList();

    private static string ServiceAddress(IConfiguration configuration, string name)
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
