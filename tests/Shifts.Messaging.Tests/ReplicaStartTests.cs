using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shifts.Contracts;
using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>
/// Replicas of one service started at the same moment against a broker that has none of their
/// queues yet, as in a first rollout: every replica's bus comes up and consumes from every queue.
/// Without the bus start gate (BusStartGate), RabbitMQ 3.10 closed the connection of a replica that
/// consumed from a quorum queue another replica was still declaring, and that replica's start
/// never finished.
/// </summary>
public sealed class ReplicaStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Replicas = 3;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    private readonly List<IHost> _hosts = [];
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("replicastart");
        _broker = await TestBroker.CreateAsync("replicastart");

        // The schema first, so that the replicas' migrators (which take turns) find nothing to do
        // and their buses start within milliseconds of each other.
        var migrate = TestHosts.Build("replicas", _database, output);
        await migrate.StartAsync();
        await TestHosts.StopAsync(migrate);

        for (var i = 0; i < Replicas; i++)
        {
            _hosts.Add(TestHosts.Build("replicas", _database, output, _broker, bus =>
            {
                bus.AddConsumer<FirstConsumer>();
                bus.AddConsumer<SecondConsumer>();
                bus.AddConsumer<ThirdConsumer>();
                bus.AddConsumer<FourthConsumer>();
                bus.AddConsumer<FifthConsumer>();
                bus.AddConsumer<SixthConsumer>();
                bus.AddConsumer<SeventhConsumer>();
                bus.AddConsumer<EighthConsumer>();
            }));
        }
    }

    [Fact]
    public async Task Replicas_started_together_on_a_new_broker_all_start_and_all_consume()
    {
        var starts = _hosts.Select(host => Task.Run(() => host.StartAsync()));
        await Task.WhenAll(starts).WaitAsync(StartPatience);

        var queues = new[] { "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth" }.Select(q => "replicas-" + q).ToList();
        // The management API counts consumers every few seconds: wait for the counts to settle.
        await Eventually.Async(async () =>
        {
            var consumers = await _broker.QueueConsumersAsync();
            return queues.All(q => consumers.GetValueOrDefault(q) == Replicas);
        }, TimeSpan.FromSeconds(30), $"{Replicas} consumers on each of {string.Join(", ", queues)}");

        var consumerCounts = await _broker.QueueConsumersAsync();
        Assert.All(queues, q => Assert.Equal(Replicas, consumerCounts[q]));
    }

    [Fact]
    public void The_bus_starts_between_the_gate_and_its_release_after_the_migrations_and_before_the_relay()
    {
        var order = _hosts[0].Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        output.WriteLine(string.Join(" -> ", order));

        int At(string name)
        {
            var index = order.IndexOf(name);
            Assert.True(index >= 0, $"{name} is not among the hosted services: {string.Join(", ", order)}");
            return index;
        }

        Assert.True(At("DatabaseMigrator") < At("Enter"));
        Assert.True(At("Enter") < At("MassTransitHostedService"));
        Assert.True(At("MassTransitHostedService") < At("Exit"));
        Assert.True(At("Exit") < At("OutboxRelay"));
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            try
            {
                // A host whose start hung may never stop either; don't let it hold the run.
                await TestHosts.StopAsync(host).WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                output.WriteLine("a replica did not stop within 60 s");
            }
        }

        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    // Eight consumers: eight queues that every replica declares and consumes from at start.
    private abstract class QuietConsumer : IConsumer<LoginLinkRequested>
    {
        public Task Consume(ConsumeContext<LoginLinkRequested> context) => Task.CompletedTask;
    }

    private sealed class FirstConsumer : QuietConsumer;

    private sealed class SecondConsumer : QuietConsumer;

    private sealed class ThirdConsumer : QuietConsumer;

    private sealed class FourthConsumer : QuietConsumer;

    private sealed class FifthConsumer : QuietConsumer;

    private sealed class SixthConsumer : QuietConsumer;

    private sealed class SeventhConsumer : QuietConsumer;

    private sealed class EighthConsumer : QuietConsumer;
}
