using System.Globalization;
using System.Text.Json;

namespace Shifts.Web.Api;

// Open shifts, one shift, claiming, giving back and the waitlist (the events service's Shifts and Claims operations).
public sealed partial class ShiftsApi
{
    /// <summary>One page of an organisation's bookable shifts in time order (GET /api/orgs/{org}/shifts).</summary>
    public Task<ApiResult<Page<OpenShift>>> OpenShiftsAsync(string org, OpenShiftsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<string> { "open=" + (query.IncludeFull ? "false" : "true") };
        Add(parameters, "from", query.From?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        Add(parameters, "to", query.To?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        Add(parameters, "kind", query.Kind);
        Add(parameters, "qualification", query.Qualification);
        Add(parameters, "newcomerFriendly", query.NewcomerFriendlyOnly ? "true" : null);
        Add(parameters, "limit", query.Limit?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "cursor", query.Cursor);
        return Guarded(() => GetAsync<Page<OpenShift>>($"/api/orgs/{Uri.EscapeDataString(org)}/shifts?{string.Join('&', parameters)}", ct));
    }

    /// <summary>A shift with its staffing and the display names of the people on it (GET /api/shifts/{id}).</summary>
    public Task<ApiResult<ShiftDetails>> ShiftAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<ShiftDetails>($"/api/shifts/{shiftId}", ct));

    /// <summary>The event a shift belongs to, for its description (GET /api/events/{id}).</summary>
    public Task<ApiResult<EventDetails>> EventAsync(Guid eventId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<EventDetails>($"/api/events/{eventId}", ct));

    /// <summary>
    /// Claims a place. The key comes from the rendered form, so a double tap or a resent form is
    /// answered with the first attempt's outcome instead of a second claim.
    /// </summary>
    public Task<ApiResult<ClaimReceipt>> ClaimAsync(Guid shiftId, string idempotencyKey, CancellationToken ct = default) =>
        Guarded(() => PostAsync<ClaimReceipt>($"/api/shifts/{shiftId}/claims", null, ct, new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey }));

    public Task<ApiResult<bool>> GiveBackAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"/api/shifts/{shiftId}/claims/mine", null, ct));

    /// <summary>Joins the waitlist (joining again answers the same position).</summary>
    public Task<ApiResult<WaitlistPosition>> JoinWaitlistAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => PostAsync<WaitlistPosition>($"/api/shifts/{shiftId}/waitlist", null, ct));

    public Task<ApiResult<QualificationList>> QualificationsAsync(string org, CancellationToken ct = default) =>
        Guarded(() => GetAsync<QualificationList>($"/api/orgs/{Uri.EscapeDataString(org)}/qualifications", ct));

    private static void Add(List<string> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}

/// <summary>The filters and position of one organisation's open-shift page.</summary>
public sealed record OpenShiftsQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Kind = null,
    string? Qualification = null,
    bool NewcomerFriendlyOnly = false,
    bool IncludeFull = false,
    int? Limit = null,
    string? Cursor = null);

public sealed record ShiftLocation(string Name, string? Address);

/// <summary>A row of the open-shift list; the shift is open and its event published.</summary>
public sealed record OpenShift(
    Guid Id,
    Guid EventId,
    string EventTitle,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    ShiftLocation Location,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly);

public sealed record Claimant(Guid VolunteerId, string Name);

/// <summary>One shift as GET /api/shifts/{id} answers: with its state and who is on it.</summary>
public sealed record ShiftDetails(
    Guid Id,
    Guid EventId,
    string Org,
    string EventTitle,
    string EventStatus,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    ShiftLocation Location,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly,
    string Status,
    IReadOnlyList<Claimant> Claimants);

/// <summary>The parts of GET /api/events/{id} a shift page shows.</summary>
public sealed record EventDetails(Guid Id, string Org, string Title, string Kind, string? Description, string Status, string? StatusReason);

public sealed record ClaimReceipt(Guid Id, Guid ShiftId, Guid VolunteerId, string Status, DateTimeOffset CreatedAt);

public sealed record WaitlistPosition(Guid ShiftId, int Position);

public sealed record Qualification(string Code, string Name);

public sealed record QualificationList(IReadOnlyList<Qualification> Items);
