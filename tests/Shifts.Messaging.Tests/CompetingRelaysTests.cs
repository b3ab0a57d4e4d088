using System.Collections.Concurrent;
using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>Replicas of one service relay the same outbox side by side; FOR UPDATE SKIP LOCKED keeps them off each other's rows.</summary>
public sealed class CompetingRelaysTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Burst = 500;

    /// <summary>What each relay published, recorded between its publish and its mark-sent.</summary>
    private readonly ConcurrentDictionary<int, ConcurrentQueue<Guid>> _publishedBy = new();
    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() => _services = await SenderAndReceiver.StartAsync("relays", output, new SenderAndReceiverOptions
    {
        Relays = 2,
        Relay = (number, relay) =>
        {
            // Small batches, so that the burst is many batches and the two relays interleave.
            relay.BatchSize = 10;
            relay.BeforeMarkSent = ids =>
            {
                var published = _publishedBy.GetOrAdd(number, _ => new ConcurrentQueue<Guid>());
                foreach (var id in ids)
                {
                    published.Enqueue(id);
                }

                return Task.CompletedTask;
            };
        },
    });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Two_relays_publish_each_message_of_a_burst_exactly_once()
    {
        var burst = Enumerable.Range(0, Burst).Select(i => SenderAndReceiver.LoginLink($"burst-{i}@example.org")).ToList();

        // One transaction: all rows become visible to both relays at the same moment.
        var ids = await _services.RegisterAsync(burst);

        await Eventually.Async(async () => await _services.UnsentCountAsync() == 0, TimeSpan.FromSeconds(30), "both relays to empty the outbox");
        await Eventually.Async(() => Task.FromResult(_services.Deliveries.All.Select(d => d.MessageId).Distinct().Count() >= Burst), TimeSpan.FromSeconds(30), $"{Burst} distinct messages to arrive");

        // Every publish was confirmed before its row was marked sent, so any duplicate is in the
        // queue ahead of this marker: once the marker has arrived, so has every duplicate.
        var markerId = await _services.RegisterAsync(SenderAndReceiver.LoginLink("marker@example.org"));
        await _services.Deliveries.WaitForAsync(markerId);

        var published = _publishedBy.Values.SelectMany(q => q).Where(id => id != markerId).ToList();
        Assert.Equal(ids.Order(), published.Order());
        // Both relays took part; one relay doing all the work would prove nothing about two side by side.
        Assert.Equal(2, _publishedBy.Count(relay => relay.Value.Any(id => id != markerId)));

        var delivered = _services.Deliveries.All.Select(d => d.MessageId).Where(id => id != markerId).ToList();
        Assert.Equal(ids.Order(), delivered.Order());
    }
}
