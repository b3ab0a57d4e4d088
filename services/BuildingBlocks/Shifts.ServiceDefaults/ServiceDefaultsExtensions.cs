using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        builder.AddTelemetry();
        builder.Services.AddHealthChecks();
        builder.Services.AddShiftsProblemDetails();

        // Every HttpClient a service creates retries transient faults, times out and breaks the circuit.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseShiftsProblemDetails();
        app.MapHealthEndpoints();
        return app;
    }
}
