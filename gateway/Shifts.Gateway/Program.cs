using Scalar.AspNetCore;
using Shifts.Gateway;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health and problem details like every service; the trace a request starts here
// continues into the service YARP forwards it to (traceparent is propagated).
builder.AddServiceDefaults();

// Tokens are checked here first (the services check again): a bad token never reaches a service,
// and routes that need a signed-in caller turn anonymous requests away at the edge.
builder.AddShiftsAuthentication();

// One public origin: /api/** goes to the service that owns the path, every other path to the web
// app (GatewayRoutes).
builder.Services.AddHttpClient(nameof(MergedOpenApi));
builder.Services.AddReverseProxy().LoadFromMemory(GatewayRoutes.Routes(), GatewayRoutes.Clusters(builder.Configuration));

var app = builder.Build();

// CSP, nosniff, no framing, no referrer, HSTS over TLS: on every answer, proxied ones too.
app.UseSecurityHeaders();
app.UseRequestIds();
app.MapDefaultEndpoints();
app.UseShiftsAuthentication();

app.MapReverseProxy(proxy =>
{
    // YARP's own steps (what the parameterless overload adds), then: a service that is not
    // running is a 503 with Retry-After (UnreachableServices), not a bare 502.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
    proxy.UseUnreachableServicesAs503();
});

// The services' documents in one, for client generators (MergedOpenApi).
app.MapMergedOpenApi();

// The browsable API reference over all three services' OpenAPI documents. Scalar resolves document
// URLs relative to its page (/api/docs/), hence "../../openapi/…" for the gateway's /openapi/….
// Scalar's own fonts come from its CDN (fonts.scalar.com); the page's policy allows this origin only,
// so it uses the system's fonts instead (SecurityHeaders.ApiReferencePolicy).
app.MapScalarApiReference("/api/docs", options => options
    .WithTitle("Shifts API")
    .DisableDefaultFonts()
    .AddDocument(GatewayRoutes.Volunteers, "Volunteers: identity, organisations, members", "../../openapi/volunteers.json")
    .AddDocument(GatewayRoutes.Events, "Events: events, shifts, claims", "../../openapi/events.json")
    .AddDocument(GatewayRoutes.Notifications, "Notifications", "../../openapi/notifications.json")
    .AddDocument("shifts", "All of the API in one document", "../../openapi/shifts.json"));

// An /api, /openapi, /.well-known or /health path nothing owns is a 404 problem here, not a page
// of the web app.
foreach (var prefix in new[] { "/api", "/openapi", "/.well-known", "/health" })
{
    app.Map(prefix + "/{**rest}", () => TypedResults.Problem(statusCode: 404, title: "Not found", detail: "No API resource has this path."));
}

return await app.RunServiceAsync();
