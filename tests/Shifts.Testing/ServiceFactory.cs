using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Shifts.Testing;

/// <summary>
/// Runs one Shifts service (or the gateway) in the test process on a real loopback port, so the
/// gateway can reach it over HTTP exactly as in production. Settings are given as configuration
/// keys; spans of every host in the process land in <see cref="Spans"/> when tracing is asked for.
/// </summary>
/// <typeparam name="TEntryPoint">Any type of the service's assembly.</typeparam>
public sealed class ServiceFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly List<Activity>? _spans;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="port">0 for any free port; a fixed one when other services must know the address before it starts.</param>
    public ServiceFactory(IReadOnlyDictionary<string, string?> settings, List<Activity>? spans = null, Action<IServiceCollection>? services = null, int port = 0)
    {
        _settings = settings;
        _spans = spans;
        _services = services;
        UseKestrel(port);
    }

    /// <summary>A loopback port that is free right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The base address the service listens on, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>Starts the host (migrations, bus, web server) and returns its address.</summary>
    public Uri Start()
    {
        StartServer();
        return Address;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            if (_spans is not null)
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            }

            _services?.Invoke(services);
        });
    }
}
