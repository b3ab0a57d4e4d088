using Shifts.Contracts;
using Shifts.Messaging;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Members;
using Shifts.Volunteers.Memberships;
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

// A login link is issued just after the answer, so its timing says nothing; spent links, ended sessions and old windows are forgotten.
builder.AddLoginLinks();

// The asynchronous path. This service consumes nothing: it is where people, organisations and
// memberships are decided. Every change enqueues its integration event in outbox_messages in the
// change's own transaction (Outbox.EnqueueAsync), and the outbox relay that AddMessaging starts
// (Shifts.Messaging.Outbox.OutboxRelay) publishes them to RabbitMQ after the commit:
//
//   message                          enqueued by                                    read by
//   VolunteerRegistered              VolunteerRows, PlatformAdminBootstrap          events, notifications (replicas of people)
//   VolunteerProfileChanged          Profile (PATCH /api/me, address confirmed)     events, notifications
//   VolunteerErased                  Privacy (DELETE /api/me)                       events, notifications
//   OrganisationRegistered/Changed   Organisations                                  events, notifications
//   MembershipChanged                MembershipRows (every add, role change, end)   events (who may claim), notifications
//   QualificationsChanged            MemberQualifications, MembershipRows           events (qualified shifts)
//   QualificationAdded               Qualifications (POST …/qualifications)         events (the codes a shift may require)
//   MembershipEnded                  Members/Leaving                                notifications (the mail)
//   LoginLinkRequested               Login/LoginLinks                               notifications (the mail)
//   MembershipConfirmationRequested  Consent/MembershipRequests                     notifications (the mail)
//   EmailChangeRequested, EmailChanged  Profile/EmailChangeEndpoints                notifications (the mails)
//
// A GDPR export asks the other two services over the bus (request/response, PrivacyEndpoints):
//   ClaimsExportRequested → events, DeliveriesExportRequested → notifications, each answering PersonalDataExported.
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
app.MapSessions();
app.MapProfile();
app.MapEmailChange();
app.MapPrivacy();
app.MapOrganisations();
app.MapMembers();
app.MapConsent();
app.MapQualifications();

return await app.RunServiceAsync();
