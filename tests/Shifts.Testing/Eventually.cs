using System.Diagnostics;

namespace Shifts.Testing;

/// <summary>
/// The one wait loop of the tests: asks again, a little less often each time, until the answer
/// comes or the time is up. What happens asynchronously (a message relayed, a mail sent, a server
/// ready) is awaited with it instead of with a fixed delay. An exception from the probe counts as
/// "not yet" (a server still starting answers with one); the last one is kept for the failure.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/>.</summary>
    public static async Task Async(Func<Task<bool>> condition, TimeSpan within, string what) =>
        await Async(async () => await condition() ? Held.Value : null, within, what);

    /// <summary>
    /// Waits until <paramref name="probe"/> answers with something (not null) and returns it;
    /// fails naming <paramref name="what"/> and what the probe last answered.
    /// </summary>
    public static async Task<T> Async<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        var interval = FirstInterval;
        Exception? lastException = null;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                if (await probe() is { } value)
                    return value;
                lastException = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastException = e;
            }

            if (clock.Elapsed >= within)
                throw new TimeoutException(
                    $"Waited {within.TotalSeconds:0.#} s ({attempts} attempts) for {what}; " +
                    (lastException is null ? "the last answer was false/null." : $"the last attempt threw {lastException.GetType().Name}: {lastException.Message}"),
                    lastException);

            var left = within - clock.Elapsed;
            await Task.Delay(interval < left ? interval : left);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 3 / 2, LongestInterval.Ticks));
        }
    }

    /// <summary>The answer of a condition that held (the generic loop waits for a non-null value).</summary>
    private sealed class Held
    {
        public static readonly Held Value = new();
    }
}
