using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Shifts.Testing;

/// <summary>Where the real servers for this test run are.</summary>
/// <param name="Postgres">A connection string of a role that may create databases.</param>
/// <param name="RabbitMq">amqp://user:password@host:port/ of a user that may create vhosts.</param>
/// <param name="RabbitMqManagement">http://user:password@host:port of the management API.</param>
/// <param name="SmtpHost">The SMTP sink (smtp4dev).</param>
/// <param name="SmtpApi">smtp4dev's HTTP API, to read what was sent.</param>
public sealed record TestServerAddresses(string Postgres, Uri RabbitMq, Uri RabbitMqManagement, string SmtpHost, int SmtpPort, Uri SmtpApi);

/// <summary>
/// Finds the servers once per test process: the ones <c>./shifts test</c> started (SHIFTS_TEST_*
/// variables), else Testcontainers where a Docker engine answers, else a clear message. Never a
/// mock or an in-memory stand-in.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<TestServerAddresses>> Servers = new(ResolveAsync);

    public static Task<TestServerAddresses> GetAsync() => Servers.Value;

    private static async Task<TestServerAddresses> ResolveAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("SHIFTS_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("SHIFTS_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("SHIFTS_TEST_RABBITMQ_MANAGEMENT");
        var smtp = Environment.GetEnvironmentVariable("SHIFTS_TEST_SMTP");
        var smtpApi = Environment.GetEnvironmentVariable("SHIFTS_TEST_SMTP_API");
        if (postgres is not null && rabbit is not null && management is not null && smtp is not null && smtpApi is not null)
        {
            var (host, port) = HostAndPort(smtp);
            return new TestServerAddresses(postgres, new Uri(rabbit), new Uri(management), host, port, new Uri(smtpApi));
        }

        try
        {
            return await StartContainersAsync();
        }
        catch (Exception ex) when (ex is DockerUnavailableException || ex.InnerException is DockerUnavailableException)
        {
            throw new InvalidOperationException(
                "No PostgreSQL, RabbitMQ and SMTP servers for the tests: run them through './shifts test' (it starts them and sets " +
                "SHIFTS_TEST_POSTGRES, SHIFTS_TEST_RABBITMQ, SHIFTS_TEST_RABBITMQ_MANAGEMENT, SHIFTS_TEST_SMTP and SHIFTS_TEST_SMTP_API), " +
                "or start a Docker engine so that Testcontainers can.", ex);
        }
    }

    private static async Task<TestServerAddresses> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder("postgres:15-alpine").WithCommand("-c", "max_connections=300").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithUsername("shifts").WithPassword("shifts").Build();
        var smtp = new ContainerBuilder("rnwood/smtp4dev:v3")
            .WithPortBinding(25, true)
            .WithPortBinding(80, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(80).ForPath("/api/messages")))
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync(), smtp.StartAsync());

        var management = new UriBuilder("http", rabbit.Hostname, rabbit.GetMappedPublicPort(15672)) { UserName = "shifts", Password = "shifts" }.Uri;
        return new TestServerAddresses(
            postgres.GetConnectionString(),
            new Uri(rabbit.GetConnectionString()),
            management,
            smtp.Hostname,
            smtp.GetMappedPublicPort(25),
            new UriBuilder("http", smtp.Hostname, smtp.GetMappedPublicPort(80)).Uri);
    }

    private static (string Host, int Port) HostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
