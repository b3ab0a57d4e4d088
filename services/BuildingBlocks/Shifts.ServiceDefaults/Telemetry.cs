using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shifts.ServiceDefaults;

/// <summary>The names of the activity sources and meters that Shifts code writes to.</summary>
public static class ShiftsTelemetry
{
    public const string SourceName = "Shifts";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>MassTransit's activity source and meter name (diagnostics listener).</summary>
    public const string MassTransitSource = "MassTransit";
}

internal static class TelemetryExtensions
{
    public static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(ShiftsTelemetry.SourceName, ShiftsTelemetry.MassTransitSource)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes hit the health endpoints every few seconds; their spans are noise.
                    options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ShiftsTelemetry.SourceName, ShiftsTelemetry.MassTransitSource, "Npgsql"));

        // OTLP only when a collector is configured: no exporter is cheaper than one that fails to connect.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    private static bool IsHealthProbe(PathString path) => path.StartsWithSegments("/health");
}
