using System.Globalization;

namespace Shifts.Bench.Load;

/// <summary>One request's result: how long it took (ms), its HTTP status and problem code ("shift-full"), or status 0 for a transport error.</summary>
public readonly record struct Outcome(double Milliseconds, int Status, string? Code, DateTimeOffset CompletedAt);

/// <summary>
/// Latency figures of a set of outcomes: exact percentiles (every sample is kept, the runs are small
/// enough), and a histogram with fixed log-spaced buckets so runs can be compared bucket by bucket.
/// </summary>
public sealed record LatencyStats(int Count, double P50, double P90, double P99, double Max, double Mean, IReadOnlyDictionary<string, int> Histogram)
{
    private static readonly double[] Bounds = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    public static LatencyStats Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var bound in Bounds)
        {
            histogram[string.Create(CultureInfo.InvariantCulture, $"<={bound}ms")] = 0;
        }

        histogram[">10000ms"] = 0;
        foreach (var value in sorted)
        {
            var bound = Bounds.FirstOrDefault(b => value <= b);
            var key = bound == 0 ? ">10000ms" : string.Create(CultureInfo.InvariantCulture, $"<={bound}ms");
            histogram[key]++;
        }

        if (sorted.Length == 0)
        {
            return new LatencyStats(0, 0, 0, 0, 0, 0, histogram);
        }

        return new LatencyStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99),
            sorted[^1], Math.Round(sorted.Average(), 2), histogram);
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Length - 1)], 2);
    }

    public string Short => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.0} ms, p90 {P90:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms (n={Count})");
}

/// <summary>What a load run produced: throughput, latency, and the answers counted by status and code.</summary>
public sealed record LoadResult(
    string Mode,
    int Concurrency,
    double? TargetRate,
    int Requests,
    double Seconds,
    double RequestsPerSecond,
    double SuccessesPerSecond,
    LatencyStats Latency,
    IReadOnlyDictionary<string, int> ByStatus)
{
    public static LoadResult From(string mode, int concurrency, double? targetRate, IReadOnlyList<Outcome> outcomes, double seconds, Func<Outcome, bool> success)
    {
        var byStatus = outcomes
            .GroupBy(o => o.Status == 0 ? $"transport-error{(o.Code is null ? "" : " " + o.Code)}" : o.Code is null ? o.Status.ToString(CultureInfo.InvariantCulture) : $"{o.Status} {o.Code}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ok = outcomes.Count(success);
        return new LoadResult(mode, concurrency, targetRate, outcomes.Count, Math.Round(seconds, 3),
            Math.Round(outcomes.Count / seconds, 1), Math.Round(ok / seconds, 1), LatencyStats.Of(outcomes.Select(o => o.Milliseconds)), byStatus);
    }
}
