namespace Shifts.Web.Api;

// The coordinators' event editor (the events service's Events and Shifts operations): the
// organisation's events incl. drafts, creating an event or a weekly series with its shift pattern,
// editing, publishing, postponing, rescheduling and cancelling it, its shifts, and the preview that
// says beforehand what a move will do.
public sealed partial class ShiftsApi
{
    /// <summary>One page of the organisation's events from <paramref name="from"/> on, drafts and cancelled ones included for coordinators.</summary>
    public Task<ApiResult<Page<EventSummary>>> EventsAsync(string org, DateTimeOffset from, string? cursor, CancellationToken ct = default) =>
        Guarded(() => GetAsync<Page<EventSummary>>($"/api/orgs/{Uri.EscapeDataString(org)}/events?limit=50&from="
            + Uri.EscapeDataString(from.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), ct));

    /// <summary>An event with its shifts as the editor needs it (GET /api/events/{id}).</summary>
    public Task<ApiResult<EditorEvent>> EditorEventAsync(Guid eventId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<EditorEvent>($"/api/events/{eventId}", ct));

    /// <summary>Creates a draft event, or a weekly series of drafts, with its shift pattern (201).</summary>
    public Task<ApiResult<EditorEvent>> CreateEventAsync(string org, NewEventRequest request, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EditorEvent>($"/api/orgs/{Uri.EscapeDataString(org)}/events", request, ct));

    public Task<ApiResult<EditorEvent>> EditEventAsync(Guid eventId, EventEditRequest edit, CancellationToken ct = default) =>
        Guarded(() => PatchAsync<EditorEvent>($"/api/events/{eventId}", edit, ct));

    /// <summary>Publishes the draft, or with <paramref name="series"/> every draft of its series.</summary>
    public Task<ApiResult<EditorEvent>> PublishEventAsync(Guid eventId, bool series, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EditorEvent>($"/api/events/{eventId}/publish" + (series ? "?series=true" : ""), null, ct));

    public Task<ApiResult<EditorEvent>> PostponeEventAsync(Guid eventId, string? reason, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EditorEvent>($"/api/events/{eventId}/postpone", new { reason = Blank(reason) }, ct));

    public Task<ApiResult<EditorEvent>> RescheduleEventAsync(Guid eventId, DateTimeOffset startsAt, DateTimeOffset endsAt, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EditorEvent>($"/api/events/{eventId}/reschedule", new { startsAt, endsAt }, ct));

    /// <summary>Cancels the event; with <paramref name="following"/> also every later occurrence of its series.</summary>
    public Task<ApiResult<EditorEvent>> CancelEventAsync(Guid eventId, string? reason, bool following, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EditorEvent>($"/api/events/{eventId}/cancel",
            following ? new { reason = Blank(reason), following = true } : (object)new { reason = Blank(reason) }, ct));

    /// <summary>What a move would do, without doing it (POST /api/events/{id}/preview).</summary>
    public Task<ApiResult<EventPreview>> PreviewAsync(Guid eventId, PreviewRequest request, CancellationToken ct = default) =>
        Guarded(() => PostAsync<EventPreview>($"/api/events/{eventId}/preview", request, ct));

    public Task<ApiResult<ShiftDetails>> CreateShiftAsync(Guid eventId, ShiftRequest shift, CancellationToken ct = default) =>
        Guarded(() => PostAsync<ShiftDetails>($"/api/events/{eventId}/shifts", shift, ct));

    public Task<ApiResult<ShiftDetails>> EditShiftAsync(Guid shiftId, ShiftRequest shift, CancellationToken ct = default) =>
        Guarded(() => PatchAsync<ShiftDetails>($"/api/shifts/{shiftId}", shift, ct));

    public Task<ApiResult<ShiftDetails>> CancelShiftAsync(Guid shiftId, string? reason, CancellationToken ct = default) =>
        Guarded(() => PostAsync<ShiftDetails>($"/api/shifts/{shiftId}/cancel", new { reason = Blank(reason) }, ct));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record EventLocation(string Name, string? Address);

/// <summary>One row of an organisation's event list.</summary>
public sealed record EventSummary(Guid Id, Guid? SeriesId, string Title, string Kind, EventLocation Location, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status, string? StatusReason);

public sealed record EditorShift(
    Guid Id,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly,
    string Status);

/// <summary>An event with its shifts (GET /api/events/{id}, and the answer of every change to it).</summary>
public sealed record EditorEvent(
    Guid Id,
    string Org,
    Guid? SeriesId,
    string Title,
    string Kind,
    string? Description,
    EventLocation Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string Status,
    string? StatusReason,
    IReadOnlyList<EditorShift> Shifts);

public sealed record LocationRequest(string? Name, string? Address);

public sealed record RecurrenceRequest(IReadOnlyList<string> Weekdays, DateOnly? Until, int? Count);

/// <summary>A shift of a new event's pattern, a new shift or a change (absent fields stay as they are in a change).</summary>
public sealed record ShiftRequest(
    string? Title,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? Capacity,
    int? Minimum,
    string? RequiredQualification,
    bool? NewcomerFriendly);

public sealed record NewEventRequest(
    string Title,
    string Kind,
    string? Description,
    LocationRequest Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    RecurrenceRequest? Recurrence,
    IReadOnlyList<ShiftRequest> Shifts);

public sealed record EventEditRequest(string? Title, string? Description, LocationRequest? Location);

public sealed record PreviewRequest(string Action, DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null, bool? Series = null, bool? Following = null);

/// <summary>
/// What a move would do: the occurrences it touches, the distinct people who get a mail, the claims
/// it releases and, of those, the ones released because the new time overlaps another claim of the person.
/// </summary>
public sealed record EventPreview(string Action, int Events, int Told, int Released, int Overlapping, int Shifts);
