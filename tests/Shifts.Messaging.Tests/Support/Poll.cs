namespace Shifts.Messaging.Tests.Support;

/// <summary>Waits for something the system does in the background, with a deadline instead of a sleep.</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var patience = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {patience.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
