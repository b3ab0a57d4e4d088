using Shifts.Messaging;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Organisations;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// The "volunteers" database: our migrations and the outbox/inbox tables, applied before anything starts.
builder.AddServiceDatabase(typeof(LoginLinksApi).Assembly, typeof(MessagingSetup).Assembly);

// Integration events leave through the outbox; this service consumes nothing yet.
builder.AddMessaging("volunteers", _ => { });

// A fresh installation needs one person who can create organisations.
builder.Services.AddHostedService<PlatformAdminBootstrap>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapLoginLinks();
app.MapOrganisations();

return await app.RunServiceAsync();
