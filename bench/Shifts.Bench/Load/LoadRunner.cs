using System.Diagnostics;

namespace Shifts.Bench.Load;

/// <summary>
/// Drives requests. Closed loop: a fixed number of workers, each sending its next request when the
/// last one answered (bounded concurrency; measures the peak rate). Open loop: requests start on a
/// fixed schedule whatever the answers do, and latency counts from the scheduled start, so a slow
/// system cannot hide its queueing (no coordinated omission).
/// </summary>
public static class LoadRunner
{
    /// <summary>Sends requests 0..count-1 (or, with a duration, as many as fit) with <paramref name="concurrency"/> workers.</summary>
    public static async Task<(List<Outcome> Outcomes, double Seconds)> ClosedLoopAsync(
        int concurrency, int? count, TimeSpan? duration, Func<int, CancellationToken, Task<(int Status, string? Code)>> send, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<Outcome>(count ?? 100_000);
        var next = -1;
        var clock = Stopwatch.StartNew();
        var deadline = duration is { } d ? clock.Elapsed + d : TimeSpan.MaxValue;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var mine = new List<Outcome>();
            while (!cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if ((count is { } n && index >= n) || clock.Elapsed >= deadline)
                {
                    break;
                }

                var started = clock.Elapsed;
                mine.Add(await TimedAsync(send, index, started, clock, cancellationToken));
            }

            return mine;
        }).ToList();
        foreach (var worker in await Task.WhenAll(workers))
        {
            outcomes.AddRange(worker);
        }

        return (outcomes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Starts request k at k / rate seconds; at most <paramref name="maxInFlight"/> are outstanding (more wait, and their wait counts).</summary>
    public static async Task<(List<Outcome> Outcomes, double Seconds)> OpenLoopAsync(
        double rate, int count, Func<int, CancellationToken, Task<(int Status, string? Code)>> send, int maxInFlight = 1000, CancellationToken cancellationToken = default)
    {
        using var slots = new SemaphoreSlim(maxInFlight);
        var tasks = new List<Task<Outcome>>(count);
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < count && !cancellationToken.IsCancellationRequested; k++)
        {
            var scheduled = TimeSpan.FromSeconds(k / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            await slots.WaitAsync(cancellationToken);
            var index = k;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    return await TimedAsync(send, index, scheduled, clock, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }

        var outcomes = (await Task.WhenAll(tasks)).ToList();
        return (outcomes, clock.Elapsed.TotalSeconds);
    }

    private static async Task<Outcome> TimedAsync(
        Func<int, CancellationToken, Task<(int Status, string? Code)>> send, int index, TimeSpan started, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            var (status, code) = await send(index, cancellationToken);
            return new Outcome((clock.Elapsed - started).TotalMilliseconds, status, code, DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Outcome((clock.Elapsed - started).TotalMilliseconds, 0, ex.GetType().Name, DateTimeOffset.UtcNow);
        }
    }
}
