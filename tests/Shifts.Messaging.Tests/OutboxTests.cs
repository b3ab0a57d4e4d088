using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>The outbox publishes an event if and only if the transaction that wrote it commits.</summary>
public sealed class OutboxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SenderAndReceiver _services = null!;

    public async Task InitializeAsync() => _services = await SenderAndReceiver.StartAsync("outbox", output);

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Committed_write_reaches_a_consumer_in_another_service()
    {
        var message = SenderAndReceiver.LoginLink("committed@example.org");

        var messageId = await _services.RegisterAsync(message);

        await _services.Deliveries.WaitForAsync(messageId);
        var delivery = Assert.Single(_services.Deliveries.All);
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Equal(message, delivery.Message);
        Assert.True(await _services.RegistrationExistsAsync(message.VolunteerId));
        Assert.Equal(1, await _services.EffectsOfAsync(messageId));

        // Marked sent only after the broker confirmed the publish, so possibly a moment after delivery.
        await Eventually.Async(async () => (await _services.OutboxRowAsync(messageId)).SentAt is not null, TimeSpan.FromSeconds(30), "the outbox row to be marked sent");
    }

    [Fact]
    public async Task Rolled_back_write_publishes_nothing()
    {
        var rolledBack = SenderAndReceiver.LoginLink("rolled-back@example.org");
        var rolledBackId = await _services.RegisterAsync(rolledBack, commit: false);

        // The relay publishes in outbox order: had the rolled-back row been committed after all,
        // it would have gone out before this later one, so once this has arrived the question is settled.
        var markerId = await _services.RegisterAsync(SenderAndReceiver.LoginLink("marker@example.org"));
        await _services.Deliveries.WaitForAsync(markerId);

        Assert.Equal(0, _services.Deliveries.CountOf(rolledBackId));
        Assert.DoesNotContain(_services.Deliveries.All, d => d.Message.VolunteerId == rolledBack.VolunteerId);
        Assert.Equal(markerId, Assert.Single(_services.Deliveries.All).MessageId);
        Assert.False((await _services.OutboxRowAsync(rolledBackId)).Exists);
        Assert.False(await _services.RegistrationExistsAsync(rolledBack.VolunteerId));
    }
}
