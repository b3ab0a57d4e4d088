using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>A relay that dies after publishing and before marking sent: the cost is a duplicate delivery, absorbed by the inbox.</summary>
public sealed class RelayCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SenderAndReceiver _services = null!;
    private int _crashes;

    public async Task InitializeAsync() => _services = await SenderAndReceiver.StartAsync("crash", output, new SenderAndReceiverOptions
    {
        // The first batch is published, then the relay "dies": its transaction rolls back and the rows stay unsent.
        Relay = (_, relay) => relay.BeforeMarkSent = _ => Interlocked.Increment(ref _crashes) == 1
            ? throw new InvalidOperationException("Relay killed between publish and mark-sent (injected by the test).")
            : Task.CompletedTask,
    });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Relay_killed_between_publish_and_mark_sent_delivers_twice_and_the_effect_happens_once()
    {
        var message = SenderAndReceiver.LoginLink("crash@example.org");

        var messageId = await _services.RegisterAsync(message);

        await _services.Deliveries.WaitForAsync(messageId, times: 2);
        await Eventually.Async(async () => (await _services.OutboxRowAsync(messageId)).SentAt is not null, TimeSpan.FromSeconds(30), "the outbox row to be marked sent");
        Assert.True(Volatile.Read(ref _crashes) >= 2, "the relay crashed once and then went again");
        Assert.Equal(2, _services.Deliveries.CountOf(messageId));
        Assert.Equal(1, await _services.EffectsOfAsync(messageId));
        Assert.Equal(1, await _services.InboxRowsOfAsync(messageId));
    }
}
