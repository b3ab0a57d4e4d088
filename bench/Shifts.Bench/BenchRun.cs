using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Shifts.Bench.Load;
using Shifts.Bench.Setup;

namespace Shifts.Bench;

/// <summary>The whole run: setup, then each scenario in turn; a scenario that fails is recorded and the run goes on.</summary>
public sealed partial class BenchRun(BenchSettings settings)
{
    public const string Org = "bench";
    public const string ScaleOrg = "bench-scale";

    private readonly Report _report = new(settings);
    private readonly SystemUnderTest _sut = new(settings);
    private Sizes Size => settings.Size;

    private TokenMint _mint = null!;
    private List<Helper> _helpers = [];
    private List<Guid> _spreadShifts = [];
    private List<Guid> _halfRateShifts = [];
    private Guid _hotShift;
    private List<Guid> _mailShifts = [];
    private List<Guid> _oneReplicaShifts = [];
    private List<Guid> _twoReplicaShifts = [];
    private List<Guid> _warmUpShifts = [];
    private List<Guid> _replicaWarmUpShifts = [];
    private double _peakClaimsPerSecond;
    private Guid _scaleCoordinator;

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await SetupAsync();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"bench: setup failed: {ex}");
            return 1;
        }

        await ScenarioAsync("1", "Claim rush, spread", ClaimRushSpreadAsync);
        await ScenarioAsync("2", "Claim rush, hot shift", HotShiftAsync);
        await ScenarioAsync("3", "Gateway overhead", GatewayOverheadAsync);
        await ScenarioAsync("4", "Claim to mail", ClaimToMailAsync);
        await ScenarioAsync("5", "Reminder wave", ReminderWaveAsync);
        await ScenarioAsync("6", "Open-shift list at scale", ListAtScaleAsync);
        await ScenarioAsync("7", "Two events replicas", TwoReplicasAsync);
        await ScenarioAsync("8", "Memory (peak RSS)", MemoryAsync);

        _report.Setup["totalSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        var (json, md) = _report.Write();
        Console.WriteLine();
        Console.WriteLine(_report.Table());
        Console.WriteLine($"results: {json}");
        Console.WriteLine($"         {md}");
        await _sut.DisposeAsync();
        return _report.Scenarios.Any(s => s.Met is null) ? 1 : 0;
    }

    private async Task ScenarioAsync(string id, string name, Func<ScenarioResult, Task> run)
    {
        var result = new ScenarioResult(id, name) { LoadAverageAtStart = Report.LoadAverage() };
        Console.WriteLine($"==> {id}. {name} (load {result.LoadAverageAtStart})");
        var clock = Stopwatch.StartNew();
        try
        {
            await run(result);
            Console.WriteLine($"    {result.Figure}; limit {result.Limit}; ratio {result.Ratio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "–"}; goal {result.Goal}: {(result.Met == true ? "met" : "MISSED")}");
        }
        catch (Exception ex)
        {
            result.Met = null;
            result.Error = ex.Message.ReplaceLineEndings(" ");
            Console.Error.WriteLine($"    scenario {id} failed: {ex}");
        }

        result.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
        result.LoadAverageAtEnd = Report.LoadAverage();
        _report.Scenarios.Add(result);
    }

    private static void Log(string message) => Console.WriteLine($"    {message}");

    // ------------------------------------------------------------------ setup

    private async Task SetupAsync()
    {
        Console.WriteLine($"==> Setup ({(settings.Quick ? "quick" : "full")} sizes, {settings.Clients} clients, load {Report.LoadAverage()})");
        var clock = Stopwatch.StartNew();
        var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(settings.SigningKeyFile));
        _mint = await TokenMint.ForPublishedKeyAsync(key, _sut.Volunteers);

        var admin = await _sut.AdminTokenAsync();
        Log("admin logged in by mail link");
        foreach (var (slug, name) in new[] { (Org, "Sommerfest Benchmark"), (ScaleOrg, "Benchmark at scale") })
        {
            await SystemUnderTest.ExpectAsync(System.Net.HttpStatusCode.Created, _sut.Gateway, HttpMethod.Post, "/api/orgs", admin,
                new { slug, name, timeZone = "Europe/Berlin" });
        }

        var coordinator = await AddCoordinatorAsync(admin, Org, "Carla Koordinatorin", "carla@bench.example.org");
        _scaleCoordinator = await AddCoordinatorAsync(admin, ScaleOrg, "Sami Skala", "sami@bench.example.org");
        var coordinatorToken = _mint.Mint(coordinator, "Carla Koordinatorin", [(Org, "coordinator")]);

        _helpers = await _sut.RegisterHelpersAsync(_mint, Size.Helpers, [(Org, "helper"), (ScaleOrg, "helper")]);
        Log($"{_helpers.Count} helpers registered over the bus and known to both replicas ({clock.Elapsed.TotalSeconds:0} s)");

        // One day per scenario, so no helper's claims overlap (the exclusion constraint would refuse them).
        var day = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(7).AddHours(8);
        _spreadShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day, Size.SpreadShifts, Size.SpreadCapacity, "Aufbau");
        _halfRateShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(1), Size.SpreadShifts, Size.SpreadCapacity, "Bühne");
        _hotShift = (await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(2), 1, Size.HotCapacity, "Einlass")).Single();
        var mailClaims = (int)(Size.MailRate * Size.MailSeconds);
        _mailShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(3), (mailClaims + Size.SpreadCapacity - 1) / Size.SpreadCapacity, Size.SpreadCapacity, "Abbau");
        _oneReplicaShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(4), Size.SpreadShifts, Size.SpreadCapacity, "Kasse");
        _twoReplicaShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(5), Size.SpreadShifts, Size.SpreadCapacity, "Garderobe");
        // Shifts for the warm-up rounds before scenarios 1 and 7 (a process's first claims run
        // unoptimised code and open its connections; a cold replica against a warm one is no comparison).
        var warmUpShifts = Math.Max(1, WarmUpClaims / Size.SpreadCapacity);
        _warmUpShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(6), warmUpShifts, Size.SpreadCapacity, "Probe");
        _replicaWarmUpShifts = await _sut.CreateShiftsAsync(coordinatorToken, Org, day.AddDays(7), warmUpShifts, Size.SpreadCapacity, "Probe 2");
        Log($"{_spreadShifts.Count + _halfRateShifts.Count + 1 + _mailShifts.Count + _oneReplicaShifts.Count + _twoReplicaShifts.Count + 2 * warmUpShifts} shifts created and published through the API ({clock.Elapsed.TotalSeconds:0} s)");

        var quiet = await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(120));
        _report.Setup["helpers"] = _helpers.Count;
        _report.Setup["shifts"] = new
        {
            spread = _spreadShifts.Count, halfRate = _halfRateShifts.Count, hot = 1, mail = _mailShifts.Count,
            oneReplica = _oneReplicaShifts.Count, twoReplicas = _twoReplicaShifts.Count, warmUp = _warmUpShifts.Count + _replicaWarmUpShifts.Count,
        };
        _report.Setup["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        _report.Setup["loadAverage"] = Report.LoadAverage();
        Log($"setup done in {clock.Elapsed.TotalSeconds:0} s (outbox quiet after {quiet:0.0} s)");
    }

    /// <summary>How many claims a warm-up round makes: a tenth of the helpers.</summary>
    private int WarmUpClaims => Math.Max(Size.SpreadCapacity, _helpers.Count / 10);

    /// <summary>
    /// Claims and their cancellations on shifts of their own for a while, not measured: a
    /// process's first thousands of requests run while the JIT recompiles its hot methods in the
    /// background (tiered compilation; a CPU profile of a quick run's claim rush found a third of
    /// both cores in the five processes' "Tiered Compilation" threads). A festival's rush meets
    /// services that have run for days; so does this one.
    /// </summary>
    private async Task WarmUpAsync(List<Guid> shifts, Func<int, HttpClient>? target, string what)
    {
        var helpers = Math.Min(_helpers.Count, shifts.Count * Size.SpreadCapacity);
        var duration = TimeSpan.FromSeconds(settings.Quick ? 10 : 20);
        var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, null, duration, async (i, ct) =>
        {
            var helper = _helpers[i % helpers];
            var shift = shifts[i % helpers % shifts.Count];
            var client = target?.Invoke(i) ?? _sut.Gateway;
            var (status, code, _) = await SystemUnderTest.SendAsync(client, HttpMethod.Post, $"/api/shifts/{shift}/claims", helper.Token, null, ct);
            if (status == 201)
            {
                (status, code, _) = await SystemUnderTest.SendAsync(client, HttpMethod.Delete, $"/api/shifts/{shift}/claims/mine", helper.Token, null, ct);
            }

            return (status, code);
        });
        var load = LoadResult.From("closed", settings.Clients, null, outcomes, seconds, o => o.Status == 204);
        Log($"warm-up ({what}, not measured): {outcomes.Count} claims and cancellations in {seconds:0} s, {string.Join(", ", load.ByStatus.Select(s => $"{s.Key}: {s.Value}"))}");
        await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(120));
    }

    private Task<Guid> AddCoordinatorAsync(string adminToken, string org, string name, string email) =>
        _sut.AddMemberAsync(adminToken, org, email, new { name, email, role = "coordinator" });

    /// <summary>POST /api/shifts/{id}/claims as the helper, through the gateway (or, when given, straight to a replica).</summary>
    private Func<int, CancellationToken, Task<(int, string?)>> Claims(
        Func<int, (Helper Helper, Guid Shift)> pick, Action<int, Helper, DateTimeOffset>? onCreated = null, Func<int, HttpClient>? target = null) =>
        async (index, ct) =>
        {
            var (helper, shift) = pick(index);
            var (status, code, _) = await SystemUnderTest.SendAsync(target?.Invoke(index) ?? _sut.Gateway, HttpMethod.Post, $"/api/shifts/{shift}/claims", helper.Token, null, ct);
            if (status == 201)
            {
                onCreated?.Invoke(index, helper, DateTimeOffset.UtcNow);
            }

            return (status, code);
        };

    private static object Figures(LoadResult load) => new
    {
        load.Mode,
        load.Concurrency,
        load.TargetRate,
        load.Requests,
        load.Seconds,
        load.RequestsPerSecond,
        load.SuccessesPerSecond,
        latencyMs = load.Latency,
        load.ByStatus,
    };

    private static string Ms(double value) => value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string Rate(double value, string unit) => value.ToString("#,0", CultureInfo.InvariantCulture) + " " + unit;
}
