using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults;

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

        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox");
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.TryAddTimeProvider();

        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            // Start completes only once the broker is connected and every consumer queue is bound,
            // so nothing is published into an exchange that has no queue yet.
            options.WaitUntilStarted = true;
            options.StartTimeout = configuration.GetValue("RabbitMq:StartTimeout", TimeSpan.FromSeconds(60));
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

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
                var configuration = context.GetRequiredService<IConfiguration>();
                rabbit.Host(RabbitMqUri(configuration), host => host.PublisherConfirmation = true);

                // Transient faults are retried in place; a message that still fails lands in the
                // endpoint's _error queue with its fault, never silently dropped.
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static Uri RabbitMqUri(IConfiguration configuration)
    {
        var value = configuration["RabbitMq:Uri"];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StartupException("RabbitMq:Uri is not set (environment variable RabbitMq__Uri, e.g. amqp://user:password@host:5672/).");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw new StartupException($"RabbitMq:Uri '{value}' is not an amqp:// address.");
        }

        return uri;
    }
}
