using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging;
using Shifts.Notifications.Changes;
using Shifts.Notifications.Confirmations;
using Shifts.Notifications.Consent;
using Shifts.Notifications.DeliveryLog;
using Shifts.Notifications.GapAlerts;
using Shifts.Notifications.Login;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Privacy;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.Volunteers;
using Shifts.Notifications.Reminders;
using Shifts.Notifications.Welcome;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details, strict JSON and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// Access tokens from the volunteers service (its JWKS, or Auth:PublicKeys); roles per organisation.
builder.AddShiftsAuthentication();
// What a caller may do comes from the memberships replica, not from the token's claims.
builder.Services.AddSingleton(services => MembershipReplica.Directory(services.GetRequiredService<NpgsqlDataSource>(), "erased_recipients"));

// The "notifications" database: recipients and organisations replicas, claims and the reminder
// schedule, deliveries, and the outbox/inbox tables.
builder.AddServiceDatabase(typeof(DeliveryDispatcher).Assembly, typeof(MessagingSetup).Assembly);

// What people are told comes from integration events; each consumer is listed here by name.
// The welcome mail asks the events service for newcomer shifts (request/response, with a timeout);
// the volunteers service asks this one for its part of a GDPR export.
builder.AddMessaging("notifications", bus =>
{
    bus.AddConsumer<OrganisationConsumers>();
    bus.AddConsumer<RecipientConsumers>();
    bus.AddConsumer<LoginLinkRequestedConsumer>();
    bus.AddConsumer<ConsentMailConsumers>();
    bus.AddConsumer<ClaimConsumers>();
    bus.AddConsumer<ChangeNoticeConsumers>();
    bus.AddConsumer<ShiftsUnderstaffedConsumer>();
    bus.AddConsumer<DeliveriesExportResponder>();
    bus.AddRequestClient<NewcomerShiftsRequested>();
});
builder.Services.AddScoped<WelcomeMail>();

// Reminders wait in a durable schedule and become deliveries when due.
builder.Services.AddOptions<ReminderOptions>().BindConfiguration("Reminders");
builder.Services.AddHostedService<ReminderScheduler>();

// Confirmation mails of requests nobody confirmed lose address and subject when their link expires.
builder.Services.AddHostedService<ConsentMailHousekeeping>();

// Mail leaves through a durable queue of deliveries, sent over SMTP by one dispatcher per replica.
builder.Services.AddOptions<SmtpOptions>().BindConfiguration("Smtp");
builder.Services.AddHostedService<DeliveryDispatcher>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseShiftsAuthentication();
app.MapDeliveryLog();

return await app.RunServiceAsync();
