using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>A message the consumer cannot handle is retried and then parked where an operator sees it, never dropped.</summary>
public sealed class PoisonMessageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ErrorQueue = SenderAndReceiver.ReceiverQueue + "_error";

    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() =>
        _services = await SenderAndReceiver.StartAsync("poison", output, new SenderAndReceiverOptions { ReceiverRefuses = true });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Message_the_consumer_keeps_failing_on_ends_in_its_error_queue()
    {
        var messageId = await _services.RegisterAsync(SenderAndReceiver.LoginLink("poison@example.org"));

        // The retry policy waits about 13 s in all; the management API refreshes its counts every few seconds.
        await Eventually.Async(
            async () => (await _services.Broker.QueueDepthsAsync()).GetValueOrDefault(ErrorQueue) == 1,
            TimeSpan.FromSeconds(60),
            $"the message to land in {ErrorQueue}");

        Assert.True(_services.Deliveries.CountOf(messageId) > 1, "the consumer was retried before the message was parked");
        Assert.Equal(0, await _services.EffectsOfAsync(messageId));
        Assert.Equal(0, await _services.InboxRowsOfAsync(messageId));
    }
}
