using Shifts.Messaging.Outbox;
using Xunit;

namespace Shifts.Messaging.Tests;

/// <summary>The relay's settings are checked at start: a relay that cannot work fails the start instead of spinning.</summary>
public sealed class OutboxRelayOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(OutboxRelayOptions.IsValid(new OutboxRelayOptions()));
        Assert.Equal(TimeSpan.FromSeconds(1), new OutboxRelayOptions().PollInterval);
    }

    [Fact]
    public void A_batch_of_nothing_or_a_zero_interval_is_refused()
    {
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { BatchSize = 0 }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { BatchSize = 10_001 }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { PollInterval = TimeSpan.Zero }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { PublishTimeout = TimeSpan.Zero }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { Retention = TimeSpan.FromSeconds(-1) }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { InboxRetention = TimeSpan.Zero }));
        Assert.False(OutboxRelayOptions.IsValid(new OutboxRelayOptions { CleanupInterval = TimeSpan.Zero }));
        Assert.Contains("Outbox:BatchSize", OutboxRelayOptions.Rule, StringComparison.Ordinal);
    }
}
