using MassTransit;
using Shifts.Events.Gaps;
using Shifts.Events.Organisations;
using Shifts.Events.Privacy;
using Shifts.Events.Volunteers;
using Shifts.Messaging.Outbox;

namespace Shifts.Events.Tests.Domain;

/// <summary>
/// The queues EventsMessaging (and Program.cs, and each consumer's header) names are the ones
/// MassTransit declares for the consumers, named as MessagingSetup names them; the relay's
/// settings are checked at start. Without a broker.
/// </summary>
public sealed class EventsMessagingTests
{
    private static readonly KebabCaseEndpointNameFormatter Names = new(EventsMessaging.ServiceName, false);

    [Fact]
    public void Each_consumer_has_the_queue_the_table_names()
    {
        Assert.Equal("events-organisation-consumers", Names.Consumer<OrganisationConsumers>());
        Assert.Equal("events-volunteer-consumers", Names.Consumer<VolunteerConsumers>());
        Assert.Equal("events-erasure", Names.Consumer<ErasureConsumer>());
        Assert.Equal("events-export-responder", Names.Consumer<ExportResponder>());
        Assert.Equal("events-newcomer-shifts-responder", Names.Consumer<NewcomerShiftsResponder>());
    }

    [Fact]
    public void Every_consumer_in_the_service_is_in_the_table()
    {
        var consumers = typeof(EventsService).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["ErasureConsumer", "ExportResponder", "NewcomerShiftsResponder", "OrganisationConsumers", "VolunteerConsumers"], consumers);
    }

    [Fact]
    public void The_relays_defaults_are_valid_and_a_batch_of_none_or_an_interval_of_zero_is_not()
    {
        Assert.True(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions()));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { BatchSize = 0 }));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { PollInterval = TimeSpan.Zero }));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { CleanupInterval = TimeSpan.FromSeconds(-1) }));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { PublishTimeout = TimeSpan.Zero }));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { Retention = TimeSpan.Zero }));
        Assert.False(EventsMessaging.RelaySettingsAreValid(new OutboxRelayOptions { InboxRetention = TimeSpan.Zero }));
    }
}
