using System.Globalization;
using System.Text.Json;

namespace Shifts.Web.Api;

// The person's own pages: their shifts and calendar feed, profile, address, organisations,
// data export and erasure, and the mails they were sent (/api/me/*).
public sealed partial class ShiftsApi
{
    /// <summary>The caller's confirmed claims, waitlist places and invitations (GET /api/me/shifts), shifts starting within [from, to).</summary>
    public Task<ApiResult<MyAgenda>> MyAgendaAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (from is { } f)
        {
            query.Add("from=" + Uri.EscapeDataString(Iso(f)));
        }

        if (to is { } t)
        {
            query.Add("to=" + Uri.EscapeDataString(Iso(t)));
        }

        return Guarded(() => GetAsync<MyAgenda>("/api/me/shifts" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct));
    }

    /// <summary>
    /// Where a shift belongs (GET /api/shifts/{id}, read only for its organisation, time zone and
    /// titles): /api/me/shifts does not say, and a person in several organisations needs it for
    /// the right time zone and cancellation deadline.
    /// </summary>
    public Task<ApiResult<ShiftHome>> ShiftHomeAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<ShiftHome>($"/api/shifts/{shiftId}", ct));

    /// <summary>The private iCal feed's address (GET /api/me/calendar).</summary>
    public Task<ApiResult<CalendarFeed>> CalendarFeedAsync(CancellationToken ct = default) =>
        Guarded(() => GetAsync<CalendarFeed>("/api/me/calendar", ct));

    /// <summary>A new feed address; the old one stops working (POST /api/me/calendar/rotate).</summary>
    public Task<ApiResult<CalendarFeed>> RotateCalendarFeedAsync(CancellationToken ct = default) =>
        Guarded(() => PostAsync<CalendarFeed>("/api/me/calendar/rotate", null, ct));

    /// <summary>Changes the profile (PATCH /api/me); absent members stay, <c>phone</c> and <c>quietHours</c> null remove them.</summary>
    public Task<ApiResult<Me>> UpdateProfileAsync(ProfilePatch patch, CancellationToken ct = default) =>
        Guarded(() => PatchAsync<Me>("/api/me", patch, ct));

    /// <summary>Mails a confirmation link to a new address; nothing changes until it is used (202).</summary>
    public Task<ApiResult<bool>> RequestEmailChangeAsync(string email, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Post, "/api/me/email", new { email }, ct));

    /// <summary>Applies a change of address from the mailed token (200; 409 email-taken; 410 confirmation-invalid).</summary>
    public Task<ApiResult<EmailChangeConfirmation>> ConfirmEmailChangeAsync(string token, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EmailChangeConfirmation>("/api/me/email/confirm", new { token }, ct));

    /// <summary>Leaves an organisation (204; 409 last-admin).</summary>
    public Task<ApiResult<bool>> LeaveOrganisationAsync(string org, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"/api/orgs/{Uri.EscapeDataString(org)}/members/me", null, ct));

    /// <summary>Erases the caller from every service (202).</summary>
    public Task<ApiResult<bool>> EraseMeAsync(CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, "/api/me", null, ct));

    /// <summary>One page of the mails sent to the caller, newest first (GET /api/me/notifications).</summary>
    public Task<ApiResult<Page<SentNotification>>> MyNotificationsAsync(string? cursor, CancellationToken ct = default) =>
        Guarded(() => GetAsync<Page<SentNotification>>("/api/me/notifications" + (string.IsNullOrEmpty(cursor) ? "" : "?cursor=" + Uri.EscapeDataString(cursor)), ct));

    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

public sealed record MyAgendaClaim(Guid ClaimId, string Status, OpenShift Shift);

public sealed record MyAgendaWaitlistPlace(int Position, OpenShift Shift);

/// <summary>
/// A coordinator's pending invitation to a shift. Every member is optional so the page shows what
/// the API sends without breaking on what it leaves out.
/// </summary>
public sealed record MyAgendaInvitation(Guid? Id, OpenShift? Shift, string? Message, DateTimeOffset? ExpiresAt, string? InvitedByName);

/// <summary>GET /api/me/shifts.</summary>
public sealed record MyAgenda(IReadOnlyList<MyAgendaClaim> Claims, IReadOnlyList<MyAgendaWaitlistPlace> Waitlist, JsonElement Invitations)
{
    /// <summary>
    /// The invitations this app can read. They are read one by one, not with the rest: one the app
    /// does not expect must not take the person's shifts off the page with it.
    /// </summary>
    public IReadOnlyList<MyAgendaInvitation> ReadableInvitations()
    {
        if (Invitations.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var readable = new List<MyAgendaInvitation>();
        foreach (var item in Invitations.EnumerateArray())
        {
            try
            {
                if (item.Deserialize<MyAgendaInvitation>(ShiftsApi.Json) is { } invitation)
                {
                    readable.Add(invitation);
                }
            }
            catch (JsonException)
            {
                // Skipped: shown once the app knows the shape.
            }
        }

        return readable;
    }
}

/// <summary>The parts of GET /api/shifts/{id} that say where a shift belongs.</summary>
public sealed record ShiftHome(Guid Id, string Org, string TimeZone, string EventTitle, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>GET /api/me/calendar: <c>http(s)://host/api/calendar/{token}.ics</c>.</summary>
public sealed record CalendarFeed(string Url);

public sealed record QuietHoursPatch(string From, string To);

public sealed record PreferencesPatch(bool Email, IReadOnlyList<TimeSpan> ReminderLeadTimes, QuietHoursPatch? QuietHours);

/// <summary>The whole profile form at once: every member is sent, null phone and quiet hours remove them.</summary>
public sealed record ProfilePatch(string Name, string? Phone, string Locale, PreferencesPatch NotificationPreferences);

public sealed record EmailChangeConfirmation(Guid VolunteerId, string Email);

/// <summary>One mail as its recipient sees it (GET /api/me/notifications).</summary>
public sealed record SentNotification(Guid Id, string Kind, string Channel, string Subject, string Status, DateTimeOffset? CreatedAt, DateTimeOffset? SentAt);
