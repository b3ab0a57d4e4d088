using Shifts.Messaging;
using Shifts.Notifications.Login;
using Shifts.Notifications.Mail;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// The "notifications" database: deliveries, the schedule, and the outbox/inbox tables.
builder.AddServiceDatabase(typeof(DeliveryDispatcher).Assembly, typeof(MessagingSetup).Assembly);

// What people are told comes from integration events; each consumer is listed here by name.
builder.AddMessaging("notifications", bus =>
{
    bus.AddConsumer<LoginLinkRequestedConsumer>();
});

// Mail leaves through a durable queue of deliveries, sent over SMTP by one dispatcher per replica.
builder.Services.AddOptions<SmtpOptions>().BindConfiguration("Smtp");
builder.Services.AddHostedService<DeliveryDispatcher>();

var app = builder.Build();

app.MapDefaultEndpoints();

return await app.RunServiceAsync();
