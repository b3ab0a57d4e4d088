using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Shifts.Bench.Load;
using Shifts.Bench.Setup;

namespace Shifts.Bench;

public sealed partial class BenchRun
{
    /// <summary>
    /// 6. An organisation with a million bookable shifts (bulk-loaded with COPY as the events
    /// service stores them: 50 per event, published, open); the first page and a page 90% deep,
    /// reached by the cursor the API hands out (keyset pagination).
    /// </summary>
    private async Task ListAtScaleAsync(ScenarioResult result)
    {
        var clock = Stopwatch.StartNew();
        await LoadShiftsAsync(Size.ScaleShifts);
        Log($"{Size.ScaleShifts:#,0} shifts loaded with COPY and analysed in {clock.Elapsed.TotalSeconds:0} s");

        // The cursor of the page that starts 90% down the list: what a client paging that far would hold.
        var deep = (int)(Size.ScaleShifts * 0.9);
        string cursor;
        await using (var connection = new NpgsqlConnection(settings.ConnectionString("events")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT starts_at, id FROM shifts
                WHERE org = @org AND status = 'open' AND event_status = 'published'
                ORDER BY starts_at, id OFFSET @skip LIMIT 1
                """, connection);
            command.Parameters.AddWithValue("org", ScaleOrg);
            command.Parameters.AddWithValue("skip", deep - 1);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            cursor = EncodeCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetGuid(1));
        }

        var helper = _helpers[0];
        var pages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["first"] = $"/api/orgs/{ScaleOrg}/shifts",
            ["deep"] = $"/api/orgs/{ScaleOrg}/shifts?cursor={cursor}",
        };
        var sends = new Dictionary<string, Func<int, CancellationToken, Task<(int, string?)>>>(StringComparer.Ordinal);
        foreach (var (name, path) in pages)
        {
            var check = await SystemUnderTest.ExpectAsync(System.Net.HttpStatusCode.OK, _sut.Gateway, HttpMethod.Get, path, helper.Token);
            var items = check.GetProperty("items").GetArrayLength();
            if (items != 50)
            {
                throw new InvalidOperationException($"the {name} page holds {items} shifts, not 50");
            }

            sends[name] = async (_, ct) =>
            {
                var (status, code, _) = await SystemUnderTest.SendAsync(_sut.Gateway, HttpMethod.Get, path, helper.Token, null, ct);
                return (status, code);
            };
            await LoadRunner.ClosedLoopAsync(2, 50, null, sends[name]); // warm-up
        }

        // The two pages take turns, in rounds, so a hiccup of the machine (or the work the scenarios
        // before left behind) falls on both alike instead of on whichever ran first.
        const int Rounds = 4;
        var runs = pages.Keys.ToDictionary(name => name, _ => (Outcomes: new List<Outcome>(), Seconds: 0.0), StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var name in pages.Keys)
            {
                var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(2, Size.ListRequests / Rounds, null, sends[name]);
                runs[name].Outcomes.AddRange(outcomes);
                runs[name] = (runs[name].Outcomes, runs[name].Seconds + seconds);
            }
        }

        var stats = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        foreach (var name in pages.Keys)
        {
            stats[name] = LoadResult.From("closed", 2, null, runs[name].Outcomes, runs[name].Seconds, o => o.Status == 200);
            Log($"{name} page: {stats[name].Latency.Short} ({Rounds} alternating rounds)");
        }

        var explain = await ExplainDeepPageAsync(cursor);
        var firstP99 = stats["first"].Latency.P99;
        var deepP99 = stats["deep"].Latency.P99;
        var same = Math.Abs(deepP99 - firstP99) <= Math.Max(2, 0.25 * firstP99);
        result.Figures["shifts"] = Size.ScaleShifts;
        result.Figures["deepPageStartsAt"] = deep;
        result.Figures["first"] = Figures(stats["first"]);
        result.Figures["deep"] = Figures(stats["deep"]);
        result.Figures["deepPagePlan"] = explain;
        result.Figure = $"first p50 {Ms(stats["first"].Latency.P50)} / p99 {Ms(firstP99)}; deep p50 {Ms(stats["deep"].Latency.P50)} / p99 {Ms(deepP99)}";
        result.Limit = $"{Size.ScaleShifts:#,0} shifts";
        result.Ratio = Math.Round(deepP99 / firstP99, 2);
        result.Goal = "p99 < 20 ms for both; deep ≈ first (within 25% or 2 ms)";
        result.Met = firstP99 < 20 && deepP99 < 20 && same && stats.Values.All(s => s.ByStatus.Keys.All(k => k == "200"));
    }

    private async Task LoadShiftsAsync(int count)
    {
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(30);
        await using var connection = new NpgsqlConnection(settings.ConnectionString("events"));
        await connection.OpenAsync();
        var events = (count + 49) / 50;
        var eventIds = Enumerable.Range(0, events).Select(_ => Guid.CreateVersion7()).ToArray();
        // Shift i starts i minutes after the first: a long list in time order, 50 per event.
        DateTimeOffset ShiftStart(int i) => start.AddMinutes(i);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY events (id, org, title, kind, location_name, starts_at, ends_at, status, created_by) FROM STDIN (FORMAT BINARY)"))
        {
            for (var e = 0; e < events; e++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(eventIds[e], NpgsqlDbType.Uuid);
                await copy.WriteAsync(ScaleOrg, NpgsqlDbType.Text);
                await copy.WriteAsync($"Veranstaltung {e + 1}", NpgsqlDbType.Text);
                await copy.WriteAsync("festival", NpgsqlDbType.Text);
                await copy.WriteAsync("Festwiese", NpgsqlDbType.Text);
                await copy.WriteAsync(ShiftStart(e * 50), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(ShiftStart(e * 50 + 49).AddHours(2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("published", NpgsqlDbType.Text);
                await copy.WriteAsync(_scaleCoordinator, NpgsqlDbType.Uuid);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY shifts (id, event_id, org, kind, event_status, title, starts_at, ends_at, capacity, minimum, status) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(eventIds[i / 50], NpgsqlDbType.Uuid);
                await copy.WriteAsync(ScaleOrg, NpgsqlDbType.Text);
                await copy.WriteAsync("festival", NpgsqlDbType.Text);
                await copy.WriteAsync("published", NpgsqlDbType.Text);
                await copy.WriteAsync($"Schicht {i % 50 + 1}", NpgsqlDbType.Text);
                await copy.WriteAsync(ShiftStart(i), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(ShiftStart(i).AddHours(2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(5, NpgsqlDbType.Integer);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync("open", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE events; ANALYZE shifts;", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The deep page's query plan and timing, as the events service runs it (ShiftsApi.ListShifts).</summary>
    private async Task<string> ExplainDeepPageAsync(string cursor)
    {
        DecodeCursor(cursor, out var afterStart, out var afterId);
        await using var connection = new NpgsqlConnection(settings.ConnectionString("events"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
            SELECT s.id, s.event_id, e.title, s.kind, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
                   s.capacity, s.minimum, s.confirmed, s.waitlisted, s.required_qualification, s.newcomer_friendly
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.org = @org AND s.status = 'open' AND s.event_status = 'published'
              AND (s.starts_at, s.id) > (@afterStart, @afterId)
              AND s.starts_at >= @from AND s.confirmed < s.capacity
            ORDER BY s.starts_at, s.id LIMIT 51
            """, connection);
        command.Parameters.AddWithValue("org", ScaleOrg);
        command.Parameters.AddWithValue("afterStart", afterStart);
        command.Parameters.AddWithValue("afterId", afterId);
        command.Parameters.AddWithValue("from", DateTimeOffset.UtcNow);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The events service's cursor format (Shifts/Cursor.cs): start ticks big-endian, then the id, base64url.</summary>
    private static string EncodeCursor(DateTimeOffset startsAt, Guid id)
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, startsAt.UtcTicks);
        id.TryWriteBytes(bytes.AsSpan(8));
        return TokenMint.Base64Url(bytes);
    }

    private static void DecodeCursor(string cursor, out DateTimeOffset startsAt, out Guid id)
    {
        var padded = cursor.Replace('-', '+').Replace('_', '/') + "==";
        var bytes = Convert.FromBase64String(padded[..(padded.Length - (padded.Length % 4))]);
        startsAt = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(bytes), TimeSpan.Zero);
        id = new Guid(bytes.AsSpan(8, 16));
    }

    /// <summary>7. Peak resident memory (VmHWM) of each service process over the whole run.</summary>
    private Task MemoryAsync(ScenarioResult result)
    {
        var peaks = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, pid) in settings.ServicePids)
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            double Kb(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            peaks[name] = Math.Round(Kb("VmHWM:") / 1024, 1);
            result.Figures[name] = new { peakRssMb = peaks[name], rssNowMb = Math.Round(Kb("VmRSS:") / 1024, 1), pid };
        }

        var worst = peaks.MaxBy(p => p.Value);
        result.Figure = string.Join(", ", peaks.Select(p => $"{p.Key} {p.Value:0} MB"));
        result.Limit = "–";
        result.Ratio = Math.Round(worst.Value / 250, 2);
        result.Goal = "< 250 MB each";
        result.Met = peaks.Values.All(v => v < 250);
        return Task.CompletedTask;
    }
}
