using System.Globalization;

namespace Shifts.Bench;

/// <summary>Where the system under test runs (set by scripts/bench.sh) and how big the run is.</summary>
public sealed record BenchSettings
{
    public required Uri Gateway { get; init; }
    public required Uri Volunteers { get; init; }
    public required Uri Events { get; init; }

    /// <summary>The second replica of the events service (same database and broker), for the two-replica claim rush.</summary>
    public required Uri Events2 { get; init; }
    public required string PostgresHost { get; init; }
    public required int PostgresPort { get; init; }
    public required Uri RabbitMq { get; init; }
    public required string SmtpHost { get; init; }

    /// <summary>Where the bench's own SMTP sink listens, and where the notifications service sends its mail.</summary>
    public required int SmtpPort { get; init; }
    public required string SigningKeyFile { get; init; }
    public required string AdminEmail { get; init; }
    public required string Pgbench { get; init; }
    public required string PgbenchScript { get; init; }
    public required string ResultsDirectory { get; init; }
    public required IReadOnlyDictionary<string, int> ServicePids { get; init; }
    public required string Commit { get; init; }
    public required bool Quick { get; init; }

    /// <summary>Concurrent clients of the claim rush, and of pgbench (the same number).</summary>
    public int Clients { get; init; } = 32;

    public Sizes Size => Quick ? Sizes.QuickRun : Sizes.FullRun;

    public string ConnectionString(string database) =>
        $"Host={PostgresHost};Port={PostgresPort};Database={database};Username=shifts;Password=shifts;Maximum Pool Size=20;Command Timeout=300";

    public static BenchSettings FromEnvironment(string[] args)
    {
        static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set; run the benchmark with ./shifts bench.");

        var clients = 32;
        var index = Array.IndexOf(args, "--clients");
        if (index >= 0 && index + 1 < args.Length)
        {
            clients = int.Parse(args[index + 1], CultureInfo.InvariantCulture);
        }

        return new BenchSettings
        {
            Gateway = new Uri(Env("BENCH_GATEWAY_URL")),
            Volunteers = new Uri(Env("BENCH_VOLUNTEERS_URL")),
            Events = new Uri(Env("BENCH_EVENTS_URL")),
            Events2 = new Uri(Env("BENCH_EVENTS2_URL")),
            PostgresHost = "127.0.0.1",
            PostgresPort = int.Parse(Env("BENCH_POSTGRES_PORT"), CultureInfo.InvariantCulture),
            RabbitMq = new Uri(Env("BENCH_AMQP_URI")),
            SmtpHost = "127.0.0.1",
            SmtpPort = int.Parse(Env("BENCH_SMTP_PORT"), CultureInfo.InvariantCulture),
            SigningKeyFile = Env("BENCH_SIGNING_KEY_FILE"),
            AdminEmail = Env("BENCH_ADMIN_EMAIL"),
            Pgbench = Env("BENCH_PGBENCH"),
            PgbenchScript = Env("BENCH_PGBENCH_SCRIPT"),
            ResultsDirectory = Env("BENCH_RESULTS_DIR"),
            ServicePids = Env("BENCH_PIDS").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('='))
                .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal),
            Commit = Environment.GetEnvironmentVariable("BENCH_COMMIT") ?? "unknown",
            Quick = args.Contains("--quick"),
            Clients = clients,
        };
    }
}

/// <summary>How much of everything: the sizes for a full run, a tenth or so for --quick.</summary>
public sealed record Sizes(
    int Helpers,
    int SpreadShifts,
    int SpreadCapacity,
    int HotHelpers,
    int HotCapacity,
    double MailRate,
    int MailSeconds,
    int Reminders,
    int ReminderWaveMaxSeconds,
    int ScaleShifts,
    int ListRequests,
    int GatewaySeconds,
    int PgbenchSeconds,
    int RawSmtpSeconds)
{
    public static readonly Sizes FullRun = new(
        Helpers: 5_000, SpreadShifts: 1_000, SpreadCapacity: 5, HotHelpers: 2_000, HotCapacity: 50,
        MailRate: 200, MailSeconds: 10, Reminders: 100_000, ReminderWaveMaxSeconds: 150,
        ScaleShifts: 1_000_000, ListRequests: 1_000, GatewaySeconds: 10, PgbenchSeconds: 15, RawSmtpSeconds: 10);

    public static readonly Sizes QuickRun = new(
        Helpers: 1_000, SpreadShifts: 200, SpreadCapacity: 5, HotHelpers: 500, HotCapacity: 50,
        MailRate: 200, MailSeconds: 4, Reminders: 5_000, ReminderWaveMaxSeconds: 40,
        ScaleShifts: 100_000, ListRequests: 300, GatewaySeconds: 4, PgbenchSeconds: 5, RawSmtpSeconds: 4);
}
