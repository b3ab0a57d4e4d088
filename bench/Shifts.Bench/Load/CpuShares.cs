using System.Diagnostics;
using System.Globalization;

namespace Shifts.Bench.Load;

/// <summary>
/// Where the machine's cores went during a measurement: CPU time (user + system, from
/// <c>/proc/PID/stat</c>) of every process between two snapshots, summed into the parts of the
/// system (each service by its pid, PostgreSQL's backends, RabbitMQ, this load generator with its
/// SMTP sink, everything else), in cores. On a machine where all parts share two cores, this says
/// what bounds a rate better than any one process's profile.
/// </summary>
public sealed class CpuShares
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the bench runs on

    private readonly IReadOnlyDictionary<int, string> _services;
    private readonly Dictionary<int, (string Part, long Ticks)> _start;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private CpuShares(IReadOnlyDictionary<string, int> services)
    {
        _services = services.ToDictionary(s => s.Value, s => s.Key);
        _start = Snapshot();
    }

    /// <summary>Starts counting now; null where there is no /proc.</summary>
    public static CpuShares? Start(IReadOnlyDictionary<string, int> services) =>
        Directory.Exists("/proc/self") ? new CpuShares(services) : null;

    /// <summary>Cores used per part since the start, largest first, with the total.</summary>
    public IReadOnlyDictionary<string, double> Stop()
    {
        var end = Snapshot();
        var seconds = _clock.Elapsed.TotalSeconds;
        var parts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pid, (part, ticks)) in end)
        {
            var before = _start.TryGetValue(pid, out var started) ? started.Ticks : 0;
            var used = (ticks - before) / TicksPerSecond / seconds;
            if (used > 0)
            {
                parts[part] = parts.GetValueOrDefault(part) + used;
            }
        }

        var shares = parts.OrderByDescending(p => p.Value).ToDictionary(p => p.Key, p => Math.Round(p.Value, 2), StringComparer.Ordinal);
        shares["total"] = Math.Round(parts.Values.Sum(), 2);
        return shares;
    }

    /// <summary>One line: "events 0.49, notifications 0.59, …; total 1.9 of 2 cores".</summary>
    public static string Describe(IReadOnlyDictionary<string, double> shares) =>
        string.Join(", ", shares.Where(s => s.Key != "total").Select(s => $"{s.Key} {s.Value.ToString("0.00", CultureInfo.InvariantCulture)}"))
        + $"; total {shares.GetValueOrDefault("total").ToString("0.00", CultureInfo.InvariantCulture)} of {Environment.ProcessorCount} cores";

    private Dictionary<int, (string, long)> Snapshot()
    {
        var self = Environment.ProcessId;
        var result = new Dictionary<int, (string, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid … utime stime …": comm may hold spaces, so split after its ')'.
            var close = stat.LastIndexOf(')');
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            if (close < 0 || open < 0)
            {
                continue;
            }

            var comm = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var part = _services.TryGetValue(pid, out var service) ? service
                : pid == self ? "load generator and SMTP sink"
                : comm is "postgres" or "pgbench" ? "postgresql"
                : comm.StartsWith("beam", StringComparison.Ordinal) || comm is "epmd" or "erl_child_setup" ? "rabbitmq"
                : "other";
            result[pid] = (part, ticks);
        }

        return result;
    }
}
