using Npgsql;
using Shifts.Events;
using Shifts.Events.Access;
using Shifts.Events.Attendance;
using Shifts.Events.Calendar;
using Shifts.Events.Claims;
using Shifts.Events.Coordination;
using Shifts.Events.Gaps;
using Shifts.Events.Invitations;
using Shifts.Events.Messages;
using Shifts.Events.Plans;
using Shifts.Events.Events;
using Shifts.Events.Shifts;
using Shifts.Messaging;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, problem details, strict JSON and resilient HttpClients: the same in every service.
builder.AddServiceDefaults();

// Access tokens from the volunteers service (its JWKS, or Auth:PublicKeys); roles per organisation.
builder.AddShiftsAuthentication();
// What a caller may do comes from the memberships replica below, not from the token's claims.
builder.Services.AddSingleton(services => MembershipReplica.Directory(services.GetRequiredService<NpgsqlDataSource>(), "erased_volunteers"));

// The "events" database: events, shifts, claims (invariants enforced by PostgreSQL) and the outbox/inbox tables.
builder.AddServiceDatabase(typeof(EventsService).Assembly, typeof(MessagingSetup).Assembly);

// The asynchronous path (EventsMessaging has the whole table: message, sender, consumer, queue).
// Consumers, each writing its effect and its inbox row in one transaction:
//   OrganisationConsumers    OrganisationRegistered/Changed                   events-organisation-consumers
//   VolunteerConsumers       VolunteerRegistered/ProfileChanged, MembershipChanged,
//                            QualificationsChanged                            events-volunteer-consumers
//   ErasureConsumer          VolunteerErased                                  events-erasure
//   ExportResponder          ClaimsExportRequested (request/response)         events-export-responder
//   NewcomerShiftsResponder  NewcomerShiftsRequested (request/response)       events-newcomer-shifts-responder
// and the outbox relay (Shifts.Messaging.Outbox.OutboxRelay, started by AddMessaging), which
// publishes what the endpoints, the consumers and the gap detector enqueued in outbox_messages
// (ShiftClaimed, ClaimCancelled, WaitlistPromoted, Event*, Shift*, ShiftsUnderstaffed) after each commit.
builder.AddEventsMessaging();

// Calendar feeds: a secret URL per person for calendar apps, its token derived with Calendar:FeedKey
// (or a key generated once in the database) so that only its hash is stored; links under Shifts:PublicBaseUrl.
builder.AddCalendarFeeds();

// Self check-in: a per-event code (an HMAC under Attendance:CheckInKey) in the QR code at the meeting point.
builder.AddSelfCheckIn();

// Gaps: short shifts announced to coordinators at the organisation's lead times.
builder.Services.AddHostedService<GapDetector>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseShiftsAuthentication();
app.MapEvents();
app.MapShifts();
app.MapClaims();
app.MapMyShifts();
app.MapCalendar();
app.MapCoordination();
app.MapPlans();
app.MapAttendance();
app.MapShiftLeads();
app.MapSelfCheckIn();
app.MapHours();
app.MapEventMessages();
app.MapInvitations();

return await app.RunServiceAsync();
