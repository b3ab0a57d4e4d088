using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>
/// A consumer that meets a database outage waits it out instead of using up its retries and
/// parking a message nothing is wrong with (found by ./shifts chaos: a PostgreSQL restart of 15 s
/// sent a ShiftClaimed to the _error queue, and its confirmation was never mailed).
/// </summary>
public sealed class DatabaseOutageRetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    // More failed deliveries than the ordinary retry policy allows (1 + 5 retries).
    private const int FailedDeliveries = 9;

    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() =>
        _services = await SenderAndReceiver.StartAsync("dboutage", output, new SenderAndReceiverOptions { ReceiverDatabaseAwayFor = FailedDeliveries });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Message_whose_consumer_meets_a_database_outage_is_consumed_once_the_database_is_back_not_parked()
    {
        var messageId = await _services.RegisterAsync(SenderAndReceiver.LoginLink("outage@example.org"));

        await _services.Deliveries.WaitForAsync(messageId, FailedDeliveries + 1, TimeSpan.FromSeconds(60));
        await Eventually.Async(async () => await _services.EffectsOfAsync(messageId) == 1, TimeSpan.FromSeconds(30), "the effect to be committed");

        Assert.Equal(1, await _services.InboxRowsOfAsync(messageId));
        var depths = await _services.Broker.QueueDepthsAsync();
        Assert.Equal(0, depths.GetValueOrDefault(SenderAndReceiver.ReceiverQueue + "_error"));
    }
}
