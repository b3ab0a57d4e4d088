using Npgsql;
using Shifts.Messaging;
using Shifts.Notifications;
using Shifts.Notifications.DeliveryLog;
using Shifts.Notifications.Consent;
using Shifts.Notifications.Mail;
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

// What people are told comes from integration events: the consumers, each with its message, the
// service it comes from and its queue, are listed in NotificationsMessaging. The outbox relay runs
// too (AddMessaging); nothing is published here, so it only deletes old inbox rows. The welcome mail
// asks the events service for newcomer shifts (request/response, with a timeout); the volunteers
// service asks this one for its part of a GDPR export.
builder.AddNotificationsMessaging();
builder.Services.AddScoped<WelcomeMail>();

// Reminders wait in a durable schedule and become deliveries when due: the ReminderScheduler.
builder.Services.AddOptions<ReminderOptions>().BindConfiguration("Reminders").Validate(ReminderOptions.IsValid, ReminderOptions.Rule).ValidateOnStart();
builder.Services.AddHostedService<ReminderScheduler>();

// Confirmation mails of requests nobody confirmed lose address and subject when their link expires.
builder.Services.AddHostedService<ConsentMailHousekeeping>();

// Mail leaves through the deliveries outbox (Mail/Deliveries.cs), sent over SMTP by the
// DeliveryDispatcher, its relay: one per replica, with Smtp:Connections senders.
builder.Services.AddOptions<SmtpOptions>().BindConfiguration("Smtp").Validate(SmtpOptions.IsValid, SmtpOptions.Rule).ValidateOnStart();
builder.Services.AddHostedService<DeliveryDispatcher>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseShiftsAuthentication();
app.MapDeliveryLog();

return await app.RunServiceAsync();
