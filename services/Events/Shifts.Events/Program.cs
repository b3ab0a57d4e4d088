using Shifts.Messaging;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// The "events" database: our migrations and the outbox/inbox tables, applied before anything starts.
builder.AddServiceDatabase(typeof(Program).Assembly, typeof(MessagingSetup).Assembly);

// Integration events in and out over RabbitMQ.
builder.AddMessaging("events", _ => { });

var app = builder.Build();

app.MapDefaultEndpoints();

return await app.RunServiceAsync();
