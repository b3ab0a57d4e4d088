using System.Collections.Concurrent;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Messaging.Tests.Support;

public sealed record Delivery(Guid MessageId, LoginLinkRequested Message);

/// <summary>
/// Every time the receiving service's consumer was invoked, recorded before the inbox decides
/// whether the effect runs: a redelivered message shows here twice but in the effects table once.
/// </summary>
public sealed class Deliveries
{
    private readonly ConcurrentQueue<Delivery> _all = new();

    /// <summary>Every delivery fails, as with a consumer bug or a message it can never handle.</summary>
    public bool Refuse { get; init; }

    /// <summary>The first this-many deliveries of each message fail as if the database were away (a transient Npgsql fault, wrapped).</summary>
    public int DatabaseAwayFor { get; init; }

    public IReadOnlyList<Delivery> All => [.. _all];

    public int CountOf(Guid messageId) => _all.Count(d => d.MessageId == messageId);

    public async Task WaitForAsync(Guid messageId, int times = 1, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.Async(() => Task.FromResult(CountOf(messageId) >= times), timeout ?? TimeSpan.FromSeconds(30), $"message {messageId} to be consumed {times} time(s)");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} It was consumed {CountOf(messageId)} time(s); {_all.Count} deliveries in all.", ex);
        }
    }

    internal void Record(Delivery delivery) => _all.Enqueue(delivery);
}
