using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Bad configuration ends a service with a one-line cause and exit code 1, not a stack trace.
/// The services run as real processes here, exactly as ./shifts up starts them.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_wrong_database_password_ends_with_one_line_naming_the_login()
    {
        var servers = await TestServers.GetAsync();
        var wrong = new NpgsqlConnectionStringBuilder(servers.Postgres) { Password = "wrong-password", Database = "never_created" }.ConnectionString;

        var (exitCode, stderr) = await RunServiceAsync("Events", new()
        {
            ["ConnectionStrings__Database"] = wrong,
            ["RabbitMq__Uri"] = servers.RabbitMq.ToString(),
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(NonEmptyLines(stderr));
        Assert.Contains("cannot start", line, StringComparison.Ordinal);
        Assert.Contains("rejected the login", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_ends_with_one_line_naming_the_address()
    {
        var servers = await TestServers.GetAsync();
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        await using var database = await TestDatabase.CreateAsync("port", create: false);

        var (exitCode, stderr) = await RunServiceAsync("Events", new()
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Database"] = database.ConnectionString,
            ["RabbitMq__Uri"] = servers.RabbitMq.ToString(),
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(NonEmptyLines(stderr));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionStrings__Database", "", "ConnectionStrings:Database is not set")]
    [InlineData("ConnectionStrings__Database", "Host=127.0.0.1;Nonsense=1", "not a valid PostgreSQL connection string")]
    [InlineData("RabbitMq__Uri", "http://example.org", "is not an amqp:// address")]
    public async Task Missing_or_malformed_settings_end_with_one_line(string key, string value, string expected)
    {
        var servers = await TestServers.GetAsync();
        await using var database = await TestDatabase.CreateAsync("cfg", create: false);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Database"] = database.ConnectionString,
            ["RabbitMq__Uri"] = servers.RabbitMq.ToString(),
            [key] = value,
        };

        var (exitCode, stderr) = await RunServiceAsync("Notifications", environment);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(NonEmptyLines(stderr));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static string[] NonEmptyLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(int ExitCode, string Stderr)> RunServiceAsync(string service, Dictionary<string, string> environment)
    {
        var dll = Path.Combine(RepositoryRoot(), "services", service, $"Shifts.{service}", "bin", BuildConfiguration, "net10.0", $"Shifts.{service}.dll");
        Assert.True(File.Exists(dll), $"{dll} is built");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__LogToStandardErrorThreshold"] = "None";
        using var tokens = new TestTokens();
        start.Environment["Auth__PublicKeys"] = tokens.PublicJwks;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Shifts.{service} did not stop within 60 s; stdout: {await stdout}");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shifts.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Shifts.sln not found above the test binaries.");
    }
}
