using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shifts.ServiceDefaults.Database;
using Shifts.Testing;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests.Support;

/// <summary>
/// A Shifts service reduced to its plumbing: a plain generic host with the service database (the
/// Messaging migrations and the tests' own) and, when a broker is given, the real MassTransit bus
/// and outbox relay, wired by the same AddServiceDatabase and AddMessaging calls the services make.
/// </summary>
internal static class TestHosts
{
    /// <summary>The fallback poll of the relay; short, so that a relay that "died" is back quickly.</summary>
    private static readonly TimeSpan RelayPollInterval = TimeSpan.FromMilliseconds(200);

    /// <param name="brokerUri">Where the service reaches the broker, when not directly (e.g. through a <see cref="TcpProxy"/> in front of it).</param>
    public static IHost Build(
        string service,
        TestDatabase database,
        ITestOutputHelper output,
        TestBroker? broker = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null,
        Uri? brokerUri = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = service,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Uri"] = (brokerUri ?? broker?.Uri)?.ToString(),
            ["Outbox:PollInterval"] = RelayPollInterval.ToString("c", CultureInfo.InvariantCulture),
            // Database outages are waited out at short intervals here, so a test can outlast the other retries quickly.
            ["RabbitMq:DatabaseRetry:MaxInterval"] = "00:00:00.1",
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, service));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);

        builder.AddServiceDatabase(typeof(MessagingSetup).Assembly, typeof(TestHosts).Assembly);
        if (broker is not null)
        {
            builder.AddMessaging(service, consumers ?? (_ => { }));
        }

        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public static async Task StopAsync(IHost host)
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
