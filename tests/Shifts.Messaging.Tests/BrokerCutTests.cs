using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>
/// The broker connection dies while the relay waits for a publish's confirm: the publish never
/// reached the broker, so its confirm never comes. Without a bound on that wait the relay stopped
/// for good in about one run in four (the RabbitMQ client left the confirm hanging after the
/// connection closed; CI saw it as BrokerOutageTests waiting six minutes for three mails), and
/// otherwise sat out MassTransit's growing reconnect back-off (8 to 35 s per round). The relay
/// must give up after PublishTimeout, take the rows again once the broker is back, and deliver
/// every message, the effect once each.
/// </summary>
public sealed class BrokerCutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rounds = 4;
    private const int PerRound = 40;

    /// <summary>Set by the test: the next basic.publish the sender sends is swallowed and the connection cut.</summary>
    private TaskCompletionSource? _cutAtNextPublish;
    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() => _services = await SenderAndReceiver.StartAsync("cut", output, new SenderAndReceiverOptions
    {
        SenderToBroker = (_, piece) =>
        {
            if (IsPublish(piece.Span) && Interlocked.Exchange(ref _cutAtNextPublish, null) is { } cut)
            {
                _services.SenderBrokerProxy!.Cut();
                cut.SetResult();
            }

            return Task.CompletedTask;
        },
        Relay = (_, relay) =>
        {
            relay.BatchSize = 5;
            relay.PublishTimeout = TimeSpan.FromSeconds(3);
        },
    });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Connections_cut_while_a_publish_waits_for_its_confirm_lose_nothing_and_the_relay_carries_on()
    {
        var proxy = _services.SenderBrokerProxy!;
        var ids = new List<Guid>();
        for (var round = 0; round < Rounds; round++)
        {
            var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _cutAtNextPublish, cut);
            var batch = Enumerable.Range(0, PerRound).Select(i => SenderAndReceiver.LoginLink($"cut-{round}-{i}@example.org")).ToList();
            ids.AddRange(await _services.RegisterAsync(batch));
            await cut.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(await _services.UnsentCountAsync() > 0, $"round {round} was cut with messages still in the outbox");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            proxy.Restore();
        }

        await Eventually.Async(async () => await _services.UnsentCountAsync() == 0, TimeSpan.FromMinutes(2), "the relay to publish every row after the cuts");
        await Eventually.Async(() => Task.FromResult(ids.All(id => _services.Deliveries.CountOf(id) > 0)), TimeSpan.FromMinutes(1), "every message to reach the receiver");
        foreach (var id in ids)
        {
            Assert.Equal(1, await _services.EffectsOfAsync(id));
        }
    }

    private static ReadOnlySpan<byte> BasicPublish => [0x00, 0x3C, 0x00, 0x28];

    /// <summary>Whether a piece of the AMQP stream holds a basic.publish method (class 60, method 40).</summary>
    private static bool IsPublish(ReadOnlySpan<byte> piece) => piece.IndexOf(BasicPublish) >= 0;
}
