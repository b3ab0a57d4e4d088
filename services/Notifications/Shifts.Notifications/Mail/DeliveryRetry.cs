namespace Shifts.Notifications.Mail;

/// <summary>
/// When a delivery that failed with a transient fault is tried again: after 2^attempts seconds,
/// at most five minutes, and not after the twelfth attempt (about half an hour of outage in all).
/// A fault that is not transient is final at once.
/// </summary>
public static class DeliveryRetry
{
    public const int MaxAttempts = 12;

    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the next attempt, given how many were made (the failed one included).</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(Longest.TotalSeconds, Math.Pow(2, attempts)));

    /// <summary>Whether the failed attempt was the last: a final refusal, or attempts used up.</summary>
    public static bool IsFinal(bool transient, int attempts) => !transient || attempts >= MaxAttempts;
}
