namespace Shifts.Web.Api;

// What anyone may see and do without an account: an organisation's published plan, asking to join,
// and confirming a membership from the mailed link. Every call here goes without the session's
// token: the public plan must look the same to everyone (a coordinator's token would add drafts),
// and sign-up and confirmation are for people who may not have a session at all.
public sealed partial class ShiftsApi
{
    /// <summary>The organisation's published and postponed events still to come (or running), in time order.</summary>
    public Task<ApiResult<Page<PublicEventSummary>>> PublicEventsAsync(string org, string? cursor, int limit, CancellationToken ct = default) =>
        SendAsync<Page<PublicEventSummary>>(HttpMethod.Get,
            $"/api/orgs/{Uri.EscapeDataString(org)}/events?limit={limit}{(cursor is { Length: > 0 } ? "&cursor=" + Uri.EscapeDataString(cursor) : "")}",
            null, ct: ct, anonymous: true);

    /// <summary>One event with its shifts' staffing (counts only: the anonymous answer names nobody).</summary>
    public Task<ApiResult<PublicEvent>> PublicEventAsync(Guid eventId, CancellationToken ct = default) =>
        SendAsync<PublicEvent>(HttpMethod.Get, $"/api/events/{eventId}", null, ct: ct, anonymous: true);

    /// <summary>Asks to join: 202 whoever the address belongs to; the mail carries the confirmation link.</summary>
    public Task<ApiResult<bool>> SignUpAsync(string org, string name, string email, string locale, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/api/orgs/{Uri.EscapeDataString(org)}/signup", new { name, email, locale }, ct, anonymous: true);

    /// <summary>Spends the mailed confirmation token: the membership, and a first session for a new person.</summary>
    public Task<ApiResult<ConfirmedMembership>> ConfirmMembershipAsync(string token, CancellationToken ct = default) =>
        PostAsync<ConfirmedMembership>("/api/memberships/confirm", new { token }, ct, anonymous: true);
}

public sealed record PublicLocation(string? Name, string? Address);

/// <summary>A row of <c>GET /api/orgs/{org}/events</c>; instants in the organisation's offset.</summary>
public sealed record PublicEventSummary(
    Guid Id,
    Guid? SeriesId,
    string Title,
    string Kind,
    PublicLocation Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Status,
    string? StatusReason);

/// <summary><c>GET /api/events/{eventId}</c>: the event with its shifts and their staffing.</summary>
public sealed record PublicEvent(
    Guid Id,
    string Org,
    string Title,
    string Kind,
    string? Description,
    PublicLocation Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string Status,
    string? StatusReason,
    IReadOnlyList<PublicShift> Shifts);

public sealed record PublicShift(
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
    string Status)
{
    public int Free => Math.Max(0, Capacity - Confirmed);

    public bool IsCancelled => Status == "cancelled";

    public bool IsFull => !IsCancelled && Confirmed >= Capacity;

    /// <summary>Fewer people than the shift needs at least: the coordinators' "gap".</summary>
    public bool NeedsPeople => !IsCancelled && Confirmed < Minimum;
}

/// <summary><c>POST /api/memberships/confirm</c>; <see cref="Session"/> only for a person who did not exist before.</summary>
public sealed record ConfirmedMembership(Guid VolunteerId, string Org, string Role, TokenPair? Session);
