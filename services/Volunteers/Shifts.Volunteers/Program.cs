using Shifts.Contracts;
using Shifts.Messaging;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Members;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Privacy;
using Shifts.Volunteers.Profile;
using Shifts.Volunteers.Qualifications;
using Shifts.Volunteers.Tokens;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details, strict JSON and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// The "volunteers" database: people, organisations, memberships, keys, and the outbox/inbox tables, migrated before anything starts.
builder.AddServiceDatabase(typeof(VolunteersService).Assembly, typeof(MessagingSetup).Assembly);

// This service issues the access tokens (ES256, key from Auth:SigningKey or the database) and
// validates them with its own keys, never by fetching its own JWKS over HTTP.
builder.AddAccessTokens();
builder.AddShiftsAuthentication(localKeys: services => services.GetRequiredService<SigningKeys>().Published);
// What a caller may do comes from the current memberships here, not from the token's claims.
builder.Services.AddSingleton<ICallerDirectory, CallerDirectory>();

// Login links and their exchange are rate-limited per address and per client, counted in PostgreSQL so replicas agree.
builder.AddLoginRateLimits();

// Integration events leave through the outbox; a GDPR export asks the other services over the bus.
builder.AddMessaging("volunteers", bus =>
{
    bus.AddRequestClient<ClaimsExportRequested>();
    bus.AddRequestClient<DeliveriesExportRequested>();
});

// Membership requests and address changes that nobody confirmed are erased when their link expires.
builder.Services.AddHostedService<ConsentHousekeeping>();

// A fresh installation needs one person who can create organisations.
builder.Services.AddHostedService<PlatformAdminBootstrap>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseShiftsAuthentication();
app.MapSigningKeys();
app.MapLoginLinks();
app.MapPrivacy();
app.MapSessions();
app.MapOrganisations();
app.MapSignup();
app.MapMembers();
app.MapConsent();
app.MapLeaving();
app.MapQualifications();
app.MapProfile();
app.MapEmailChange();

return await app.RunServiceAsync();
