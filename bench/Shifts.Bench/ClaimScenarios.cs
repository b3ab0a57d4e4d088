using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Shifts.Bench.Load;
using Shifts.Bench.Setup;

namespace Shifts.Bench;

public sealed partial class BenchRun
{
    /// <summary>
    /// 1. Helpers claim across many shifts through the gateway as fast as the system answers
    /// (closed loop, <see cref="BenchSettings.Clients"/> clients); pgbench runs the minimum claim
    /// transaction, and the old one with its NOTIFY, with the same client count; then the rush
    /// again, open loop at half the peak.
    /// </summary>
    private async Task ClaimRushSpreadAsync(ScenarioResult result)
    {
        await WarmUpAsync(_warmUpShifts, null, "through the gateway");
        var order = Shuffled(_helpers.Count);
        var cpu = CpuShares.Start(settings.ServicePids);
        var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, _helpers.Count, null,
            Claims(i => (_helpers[order[i]], _spreadShifts[order[i] % _spreadShifts.Count])));
        var peak = LoadResult.From("closed", settings.Clients, null, outcomes, seconds, o => o.Status == 201);
        if (cpu?.Stop() is { } shares)
        {
            // What bounds the peak on a machine whose parts share its cores.
            result.Figures["cpuAtPeakCores"] = shares;
            Log($"cores used during the peak: {CpuShares.Describe(shares)}");
        }

        _peakClaimsPerSecond = peak.SuccessesPerSecond;
        Log($"peak: {peak.SuccessesPerSecond} claims/s, {peak.Latency.Short}, {string.Join(", ", peak.ByStatus.Select(s => $"{s.Key}: {s.Value}"))}");

        // The limit: the minimum a claim must write; and, as a second reference, the transaction
        // with the NOTIFY the service had until 2026-12 (bench/claim-notify.pgbench.sql).
        var pgbench = await PgbenchAsync(_spreadShifts, settings.PgbenchScript);
        Log($"pgbench, minimum claim: {pgbench.Tps:0} tps, latency average {pgbench.LatencyMs:0.0} ms ({settings.Clients} clients)");
        var withNotify = await PgbenchAsync(_spreadShifts, Path.Combine(Path.GetDirectoryName(settings.PgbenchScript)!, "claim-notify.pgbench.sql"));
        Log($"pgbench, old claim with NOTIFY: {withNotify.Tps:0} tps, latency average {withNotify.LatencyMs:0.0} ms");

        var halfRate = Math.Max(1, peak.SuccessesPerSecond / 2);
        var count = Math.Min(_helpers.Count, (int)(halfRate * 30));
        var halfOrder = Shuffled(_helpers.Count);
        var (halfOutcomes, halfSeconds) = await LoadRunner.OpenLoopAsync(halfRate, count,
            Claims(i => (_helpers[halfOrder[i]], _halfRateShifts[halfOrder[i] % _halfRateShifts.Count])));
        var half = LoadResult.From("open", 0, halfRate, halfOutcomes, halfSeconds, o => o.Status == 201);
        Log($"half rate ({halfRate:0}/s): {half.Latency.Short}");

        var ratio = pgbench.Tps > 0 ? peak.SuccessesPerSecond / pgbench.Tps : 0;
        result.Figures["peak"] = Figures(peak);
        result.Figures["pgbench"] = pgbench;
        result.Figures["pgbenchWithNotify"] = withNotify;
        result.Figures["ratioToNotifyTransaction"] = withNotify.Tps > 0 ? Math.Round(peak.SuccessesPerSecond / withNotify.Tps, 2) : 0;
        result.Figures["halfPeakRate"] = Figures(half);
        result.Figure = $"{Rate(peak.SuccessesPerSecond, "claims/s")} (p50 {Ms(peak.Latency.P50)}, p99 {Ms(peak.Latency.P99)}); at {halfRate:0}/s p99 {Ms(half.Latency.P99)}";
        result.Limit = $"pgbench minimum claim {Rate(pgbench.Tps, "tps")} (old claim with NOTIFY {Rate(withNotify.Tps, "tps")})";
        result.Ratio = Math.Round(ratio, 2);
        result.Goal = "ratio ≥ 0.50; p99 < 100 ms at half the peak";
        result.Met = ratio >= 0.5 && half.Latency.P99 < 100 && peak.ByStatus.Keys.All(k => k == "201") && half.ByStatus.Keys.All(k => k == "201");
    }

    /// <summary>2. Many helpers, one shift with 50 places: exactly 50 get it, the rest a fast 409 shift-full.</summary>
    private async Task HotShiftAsync(ScenarioResult result)
    {
        var order = Shuffled(Size.HotHelpers);
        var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, Size.HotHelpers, null, Claims(i => (_helpers[order[i]], _hotShift)));
        var load = LoadResult.From("closed", settings.Clients, null, outcomes, seconds, o => o.Status == 201);
        var refused = LatencyStats.Of(outcomes.Where(o => o.Status == 409).Select(o => o.Milliseconds));
        var created = outcomes.Count(o => o.Status == 201);
        var confirmed = await _sut.ScalarAsync<int>("events", "SELECT confirmed FROM shifts WHERE id = @id", ("id", _hotShift));
        var rows = await _sut.ScalarAsync<long>("events", "SELECT count(*) FROM claims WHERE shift_id = @id AND status = 'confirmed'", ("id", _hotShift));
        Log($"{created} × 201, {load.ByStatus.GetValueOrDefault("409 shift-full")} × 409 shift-full; shift.confirmed = {confirmed}, claim rows {rows}; 409s {refused.Short}");

        result.Figures["load"] = Figures(load);
        result.Figures["conflictLatencyMs"] = refused;
        result.Figures["created"] = created;
        result.Figures["shiftConfirmed"] = confirmed;
        result.Figures["confirmedClaimRows"] = rows;
        result.Figure = $"{created} confirmed of {Size.HotHelpers}; 409s p50 {Ms(refused.P50)}, p99 {Ms(refused.P99)}";
        result.Limit = $"capacity {Size.HotCapacity}";
        result.Goal = $"exactly {Size.HotCapacity} confirmed, every other answer 409 shift-full";
        result.Met = created == Size.HotCapacity && confirmed == Size.HotCapacity && rows == Size.HotCapacity
            && load.ByStatus.GetValueOrDefault("409 shift-full") == Size.HotHelpers - Size.HotCapacity;
    }

    /// <summary>
    /// 3. The open-shift list straight from the events service and through the gateway: throughput
    /// at <see cref="BenchSettings.Clients"/> clients, and latency one request at a time (where
    /// the added hop shows, not the queueing).
    /// </summary>
    private async Task GatewayOverheadAsync(ScenarioResult result)
    {
        var token = _helpers[0].Token;
        var path = $"/api/orgs/{Org}/shifts";
        Func<int, CancellationToken, Task<(int, string?)>> List(HttpClient client) => async (_, ct) =>
        {
            var (status, code, _) = await SystemUnderTest.SendAsync(client, HttpMethod.Get, path, token, null, ct);
            return (status, code);
        };

        // Direct and through the gateway take turns, in rounds: whatever else the machine does
        // meanwhile (the mails and relays of the claims before, other programs) falls on both alike,
        // instead of on whichever ran first.
        const int Rounds = 3;
        var slice = TimeSpan.FromSeconds(Size.GatewaySeconds) / Rounds;
        var targets = new[] { ("direct", _sut.Events), ("gateway", _sut.Gateway) };
        var busy = targets.ToDictionary(t => t.Item1, _ => (Outcomes: new List<Outcome>(), Seconds: 0.0));
        var single = targets.ToDictionary(t => t.Item1, _ => (Outcomes: new List<Outcome>(), Seconds: 0.0));
        foreach (var (_, client) in targets)
        {
            await LoadRunner.ClosedLoopAsync(4, null, TimeSpan.FromSeconds(2), List(client)); // warm-up
        }

        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (name, client) in targets)
            {
                var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, null, slice, List(client));
                busy[name].Outcomes.AddRange(outcomes);
                busy[name] = (busy[name].Outcomes, busy[name].Seconds + seconds);
                (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(1, null, slice, List(client));
                single[name].Outcomes.AddRange(outcomes);
                single[name] = (single[name].Outcomes, single[name].Seconds + seconds);
            }
        }

        var figures = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        foreach (var (name, _) in targets)
        {
            figures[$"{name}Throughput"] = LoadResult.From("closed", settings.Clients, null, busy[name].Outcomes, busy[name].Seconds, o => o.Status == 200);
            figures[$"{name}Sequential"] = LoadResult.From("closed", 1, null, single[name].Outcomes, single[name].Seconds, o => o.Status == 200);
            Log($"{name}: {figures[$"{name}Throughput"].SuccessesPerSecond} req/s at {settings.Clients} clients; one at a time {figures[$"{name}Sequential"].Latency.Short} ({Rounds} alternating rounds)");
        }

        var ratio = figures["gatewayThroughput"].SuccessesPerSecond / figures["directThroughput"].SuccessesPerSecond;
        var added = figures["gatewaySequential"].Latency.P50 - figures["directSequential"].Latency.P50;
        foreach (var (name, load) in figures)
        {
            result.Figures[name] = Figures(load);
        }

        result.Figures["addedP50Ms"] = Math.Round(added, 2);
        result.Figure = $"{Rate(figures["gatewayThroughput"].SuccessesPerSecond, "req/s")} via gateway; p50 {(added >= 0 ? "+" : "−")}{Ms(Math.Abs(added))}";
        result.Limit = $"direct {Rate(figures["directThroughput"].SuccessesPerSecond, "req/s")}, p50 {Ms(figures["directSequential"].Latency.P50)}";
        result.Ratio = Math.Round(ratio, 2);
        result.Goal = "ratio ≥ 0.70; < 1 ms added at p50";
        result.Met = ratio >= 0.7 && added < 1 && figures.Values.All(f => f.ByStatus.Keys.All(k => k == "200"));
    }

    /// <summary>Runs a pgbench script (bench/claim*.pgbench.sql) against copies of the claim tables in the events database, with the HTTP run's client count.</summary>
    private async Task<PgbenchResult> PgbenchAsync(IReadOnlyList<Guid> shifts, string script)
    {
        await _sut.ExecuteAsync("events", """
            DROP SCHEMA IF EXISTS bench_limit CASCADE;
            CREATE SCHEMA bench_limit;
            CREATE TABLE bench_limit.shifts (LIKE public.shifts INCLUDING ALL);
            CREATE TABLE bench_limit.claims (LIKE public.claims INCLUDING ALL);
            ALTER TABLE bench_limit.claims ADD FOREIGN KEY (shift_id) REFERENCES bench_limit.shifts (id);
            CREATE TABLE bench_limit.waitlist_entries (LIKE public.waitlist_entries INCLUDING ALL);
            CREATE TABLE bench_limit.outbox_messages (LIKE public.outbox_messages INCLUDING ALL);
            INSERT INTO bench_limit.shifts SELECT * FROM public.shifts WHERE id = ANY(@ids);
            -- Room for every transaction pgbench manages (the HTTP run had exactly enough places).
            UPDATE bench_limit.shifts SET capacity = 10000, minimum = 0, confirmed = 0;
            CREATE TABLE bench_limit.shift_numbers AS
                SELECT row_number() OVER (ORDER BY id)::int AS n, id, starts_at, ends_at FROM bench_limit.shifts;
            ALTER TABLE bench_limit.shift_numbers ADD PRIMARY KEY (n);
            ANALYZE bench_limit.shifts, bench_limit.claims, bench_limit.shift_numbers;
            """, ("ids", shifts.ToArray()));
        try
        {
            var start = new ProcessStartInfo(settings.Pgbench)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "-h", settings.PostgresHost, "-p", settings.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", "shifts", "-n",
                "-M", "extended", "-c", settings.Clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", Size.PgbenchSeconds.ToString(CultureInfo.InvariantCulture),
                "-D", $"shifts={shifts.Count}", "-D", $"body={OutboxBody}", "-f", script, "events",
            })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["PGPASSWORD"] = "shifts";
            start.Environment["PGOPTIONS"] = "-c search_path=bench_limit";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench exited with {process.ExitCode}: {await stderr}{output}");
            }

            var tps = TpsLine().Match(output);
            if (!tps.Success || output.Contains("aborted", StringComparison.Ordinal))
            {
                // A script that fails in every client still exits 0 after -T seconds: say why.
                Log($"pgbench {Path.GetFileName(script)} did not run cleanly:\n{output}\n{await stderr}");
            }

            var latency = LatencyLine().Match(output);
            var transactions = await _sut.ScalarAsync<long>("events", "SELECT count(*) FROM bench_limit.claims");
            return new PgbenchResult(
                tps.Success ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                settings.Clients, Size.PgbenchSeconds, transactions, $"bench/{Path.GetFileName(script)}");
        }
        finally
        {
            await _sut.ExecuteAsync("events", "DROP SCHEMA IF EXISTS bench_limit CASCADE");
        }
    }

    /// <summary>A ShiftClaimed as the outbox stores it (camelCase JSON), for pgbench's outbox row.</summary>
    private static string OutboxBody => System.Text.Json.JsonSerializer.Serialize(
        new Shifts.Contracts.ShiftClaimed(Guid.CreateVersion7(), Guid.NewGuid(), new Shifts.Contracts.ShiftDetails(
            Guid.CreateVersion7(), Guid.CreateVersion7(), Org, "Sommerfest Benchmark 1", "Schicht 1",
            DateTimeOffset.UtcNow.AddDays(7), DateTimeOffset.UtcNow.AddDays(7).AddHours(2), "Festwiese", null)),
        new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    public sealed record PgbenchResult(double Tps, double LatencyMs, int Clients, int Seconds, long Transactions, string Script);

    private static int[] Shuffled(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(7).Shuffle(order);
        return order;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}
