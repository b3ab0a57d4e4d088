using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit over RabbitMQ the way every Shifts service uses it: quorum queues, publisher
    /// confirms, kebab-case endpoint names prefixed with the service, retries then the _error queue,
    /// and the outbox relay. <paramref name="consumers"/> registers the service's consumers by name.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator> consumers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(consumers);

        builder.Services.TryAddTimeProvider();

        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            // Start completes only once the broker is connected and every consumer queue is bound,
            // so nothing is published into an exchange that has no queue yet.
            options.WaitUntilStarted = true;
            options.StartTimeout = configuration.GetValue("RabbitMq:StartTimeout", TimeSpan.FromSeconds(60));
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        var rabbitMqUri = RabbitMqUri(builder);
        builder.Services.AddSingleton(new BrokerAddress(rabbitMqUri));
        builder.Services.AddSingleton<BrokerHealthCheck>(); // one instance, so its short cache holds
        builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("rabbitmq", tags: [HealthTags.Ready]);

        // Hosted services start in the order they are registered: the gate's Enter just before
        // MassTransit's (added by AddMassTransit), its Exit just after, so replicas declare and
        // bind their queues one at a time (see BusStartGate).
        builder.Services.AddSingleton<BusStartGate>();
        builder.Services.AddHostedService<BusStartGate.Enter>();
        builder.Services.AddMassTransit(bus =>
        {
            // "events-volunteer-registered": two services consuming the same event get their own queues.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            bus.AddConfigureEndpointsCallback((_, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    // Quorum queues are replicated and durable: a broker node lost is no message lost.
                    rabbit.SetQuorumQueue();
                }
            });

            consumers(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitMqUri, host => host.PublisherConfirmation = true);

                // A database that is away (restarting, failing over) is waited out, not given up on:
                // every consumer needs it, so a message that meets the outage would otherwise use up
                // its retries within seconds and be parked in _error although nothing is wrong with it.
                // Outermost, so the retries below do not count these attempts.
                var outage = DatabaseOutageRetry.From(context.GetRequiredService<IConfiguration>());
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(DatabaseFaults.IsTransient);
                    retry.Exponential(outage.Limit, outage.MinInterval, outage.MaxInterval, outage.Delta);
                });

                // Other faults are retried in place a few times; a message that still fails lands in
                // the endpoint's _error queue with its fault, never silently dropped.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Ignore<Exception>(DatabaseFaults.IsTransient);
                    retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddHostedService<BusStartGate.Exit>();

        // After MassTransit's hosted service, which (WaitUntilStarted) returns once the bus is up:
        // the relay's first publish never races the broker connection.
        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox")
            .Validate(OutboxRelayOptions.IsValid, OutboxRelayOptions.Rule).ValidateOnStart();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>
    /// How long a consumer waits out a database outage: <c>RabbitMq:DatabaseRetry:Limit</c> attempts
    /// (default 20) at growing intervals up to <c>RabbitMq:DatabaseRetry:MaxInterval</c> (default
    /// 30 s), about 8 minutes in all. A longer outage parks the message in _error (kept, not lost).
    /// </summary>
    private sealed record DatabaseOutageRetry(int Limit, TimeSpan MinInterval, TimeSpan MaxInterval, TimeSpan Delta)
    {
        public static DatabaseOutageRetry From(IConfiguration configuration)
        {
            var limit = configuration.GetValue("RabbitMq:DatabaseRetry:Limit", 20);
            var max = configuration.GetValue("RabbitMq:DatabaseRetry:MaxInterval", TimeSpan.FromSeconds(30));
            var min = max < TimeSpan.FromSeconds(1) ? max : TimeSpan.FromSeconds(1);
            var delta = max < TimeSpan.FromSeconds(2) ? max : TimeSpan.FromSeconds(2);
            return new DatabaseOutageRetry(limit, min, max, delta);
        }
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>The broker address; a missing or malformed one is reported as a configuration problem.</summary>
    private static Uri RabbitMqUri(IHostApplicationBuilder builder)
    {
        var value = builder.Configuration["RabbitMq:Uri"];
        if (string.IsNullOrWhiteSpace(value))
        {
            ConfigurationProblems.Report(builder, "RabbitMq:Uri is not set (environment variable RabbitMq__Uri, e.g. amqp://user:password@host:5672/).");
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            ConfigurationProblems.Report(builder, $"RabbitMq:Uri '{value}' is not an amqp:// address.");
        }
        else
        {
            return uri;
        }

        return new Uri("amqp://unconfigured/");
    }
}
