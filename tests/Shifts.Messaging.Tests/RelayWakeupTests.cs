using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>
/// The relay is woken by a commit in its own process (CommitWakeup), not by a NOTIFY inside the
/// writing transaction; rows committed elsewhere are found by its poll. Here the poll is ten
/// minutes away, so only the wake-up can deliver within the test.
/// </summary>
public sealed class RelayWakeupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() => _services = await SenderAndReceiver.StartAsync("wakeup", output, new SenderAndReceiverOptions
    {
        Relay = (_, relay) => relay.PollInterval = TimeSpan.FromMinutes(10),
    });

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task A_commit_wakes_the_relay_and_takes_earlier_unwoken_rows_along_in_order()
    {
        var first = await _services.RegisterAsync(SenderAndReceiver.LoginLink("woken@example.org"), wake: true);
        await _services.Deliveries.WaitForAsync(first, timeout: Wait);

        // Committed as another replica would: nobody here is woken, the row waits for a poll.
        var unwoken = await _services.RegisterAsync(SenderAndReceiver.LoginLink("polled@example.org"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _services.Deliveries.CountOf(unwoken));
        Assert.Equal(1, await _services.UnsentCountAsync());

        // The next woken commit: the relay takes every unsent row, in the order they were written.
        var last = await _services.RegisterAsync(SenderAndReceiver.LoginLink("woken-again@example.org"), wake: true);
        await _services.Deliveries.WaitForAsync(last, timeout: Wait);
        Assert.Equal([first, unwoken, last], _services.Deliveries.All.Select(d => d.MessageId));
        Assert.Equal(1, await _services.EffectsOfAsync(unwoken));
    }

    [Fact]
    public async Task A_rolled_back_write_wakes_nobody_and_publishes_nothing()
    {
        var rolledBack = await _services.RegisterAsync(SenderAndReceiver.LoginLink("rolled-back@example.org"), commit: false, wake: true);
        var marker = await _services.RegisterAsync(SenderAndReceiver.LoginLink("marker@example.org"), wake: true);

        await _services.Deliveries.WaitForAsync(marker, timeout: Wait);
        Assert.Equal(marker, Assert.Single(_services.Deliveries.All).MessageId);
        Assert.False((await _services.OutboxRowAsync(rolledBack)).Exists);
    }
}
