using Polly.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Network;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.ServiceDefaults;

/// <summary>
/// What every Shifts process has in common: telemetry, health endpoints, problem details and
/// resilient HttpClients. A service's Program.cs calls <see cref="AddServiceDefaults"/> and
/// <see cref="MapDefaultEndpoints"/> and stays about its own features.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Registered before any other hosted service, so bad settings are reported before anything connects.
        ConfigurationProblems.For(builder);
        builder.AddTelemetry();

        // X-Forwarded-For/-Proto only from Network:TrustedProxies; no Server header (Network/).
        builder.AddTrustedProxies();
        builder.AddNoServerHeader();

        // The host logs a failed start with its stack trace; RunServiceAsync prints the one-line
        // cause instead, and anything it cannot describe still surfaces as an unhandled exception.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // Polly logs every execution attempt at Information with the result's ToString(), which for
        // a session is a record holding the refresh token: secrets in the log, and two lines per
        // database call. Retries (Warning) are what deserves a line; their result is the fault.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // The filter only hides those lines; Polly still builds and reports each event. An event
        // of severity None is not reported at all: so for the per-call ones (the pipeline starting
        // and ending, an attempt that succeeded), which on the claim path are several per request.
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = QuietPerCallEvents);
        builder.Services.AddHealthChecks();
        builder.Services.AddShiftsProblemDetails();
        builder.Services.AddShiftsJson();
        builder.Services.AddStrictRequests();

        // Each service describes its endpoints as OpenAPI; the gateway publishes them all (OpenApi/).
        builder.Services.AddShiftsOpenApi();

        // Every HttpClient a service creates retries transient faults, times out and breaks the circuit.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>No telemetry for what every successful call does; retries, timeouts, open circuits keep theirs.</summary>
    internal static ResilienceEventSeverity QuietPerCallEvents(SeverityProviderArguments args) => args.Event switch
    {
        { EventName: "PipelineExecuting" or "PipelineExecuted" } => ResilienceEventSeverity.None,
        { EventName: "ExecutionAttempt", Severity: ResilienceEventSeverity.Information or ResilienceEventSeverity.Debug } => ResilienceEventSeverity.None,
        _ => args.Event.Severity,
    };

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseShiftsProblemDetails();
        app.UseStrictRequests();
        app.MapHealthEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>
    /// Only /health/live and /health/ready, for a process that answers browsers rather than API
    /// clients (the web app): its errors are pages, not problem details, and it has no OpenAPI document.
    /// </summary>
    public static WebApplication MapHealthEndpointsOnly(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
