using System.Diagnostics;

namespace Shifts.Testing;

/// <summary>
/// Waiting for what happens asynchronously (a message consumed, a mail sent, a replica updated):
/// the probe is asked again at a short, growing interval until it holds or the time is up, and a
/// test that waits in vain fails with what it waited for and what it saw last — never a bare timeout.
/// The one wait loop of the test suites; each waits no longer than it must.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    /// <exception cref="TimeoutException">It was still false (or threw) after <paramref name="within"/>.</exception>
    public static Task Async(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Async<object>(async () => await condition() ? true : null, within, what);
    }

    /// <summary>Waits until <paramref name="probe"/> answers a value (not null) and returns it.</summary>
    /// <exception cref="TimeoutException">It still answered null (or threw) after <paramref name="within"/>.</exception>
    public static Task<T> Async<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class =>
        PollAsync(async () => await probe() is { } value ? (true, value) : (false, default!), within, what, last: null);

    /// <summary>Waits until <paramref name="probe"/>'s value satisfies <paramref name="until"/> and returns it.</summary>
    /// <exception cref="TimeoutException">No value did after <paramref name="within"/>; the message shows the last one.</exception>
    public static async Task<T> Async<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan within, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(until);
        var last = new LastSeen<T>();
        return await PollAsync(async () =>
        {
            var value = await probe();
            last.Value = value;
            last.Seen = true;
            return (until(value), value);
        }, within, what, () => last.Seen ? $"the last value was {last.Value}" : null);
    }

    private static async Task<T> PollAsync<T>(Func<Task<(bool Done, T Value)>> attempt, TimeSpan within, string what, Func<string?>? last)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        Exception? error = null;
        while (true)
        {
            try
            {
                var (done, value) = await attempt();
                if (done)
                {
                    return value;
                }

                error = null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A probe may fail while the system settles (a service restarting, a row not yet there).
                error = ex;
            }

            if (clock.Elapsed >= within)
            {
                var seen = last?.Invoke();
                throw new TimeoutException(
                    $"Waited {within.TotalSeconds:0.#} s for {what}, in vain" + (seen is null ? "" : $"; {seen}") + (error is null ? "." : $"; the last attempt threw {error.GetType().Name}: {error.Message}"),
                    error);
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private sealed class LastSeen<T>
    {
        public T? Value { get; set; }

        public bool Seen { get; set; }
    }
}
