using System.Globalization;

namespace Shifts.Web.Api;

// The coordinators' tools (the events service's Gaps, Coordination, Invitations, Attendance and
// Plans operations): the gaps, who could fill them, putting people on shifts and asking them, the
// check-in list of the day and the event's plan.
public sealed partial class ShiftsApi
{
    /// <summary>Shifts below their minimum, then not yet full, most urgent first (GET /api/orgs/{org}/gaps).</summary>
    public Task<ApiResult<GapList>> GapsAsync(string org, int days, CancellationToken ct = default) =>
        Guarded(() => GetAsync<GapList>($"/api/orgs/{Uri.EscapeDataString(org)}/gaps?within=P{days.ToString(CultureInfo.InvariantCulture)}D", ct));

    /// <summary>Members who could take the shift now, ranked, with their reasons (GET /api/shifts/{id}/candidates).</summary>
    public Task<ApiResult<CandidateList>> CandidatesAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<CandidateList>($"/api/shifts/{shiftId}/candidates?limit=50", ct));

    /// <summary>Puts a member on the shift (201, 200 held already; 409 full, overlapping, closed, not a member, qualification missing).</summary>
    public Task<ApiResult<ClaimReceipt>> AssignAsync(Guid shiftId, Guid volunteerId, bool exceedCapacity, string? reason, CancellationToken ct = default) =>
        Guarded(() => PostAsync<ClaimReceipt>($"/api/shifts/{shiftId}/assignments", new { volunteerId, exceedCapacity, reason }, ct));

    /// <summary>Takes a person off a shift, after the self-cancel deadline too; the waitlist moves up (204).</summary>
    public Task<ApiResult<bool>> RemoveClaimAsync(Guid shiftId, Guid claimId, string? reason, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"/api/shifts/{shiftId}/claims/{claimId}" + (string.IsNullOrWhiteSpace(reason) ? "" : "?reason=" + Uri.EscapeDataString(reason)), null, ct));

    /// <summary>Mails each person a one-click invitation to the shift (202).</summary>
    public Task<ApiResult<InvitationBatch>> InviteAsync(Guid shiftId, IReadOnlyList<Guid> volunteerIds, string? message, CancellationToken ct = default) =>
        Guarded(() => PostAsync<InvitationBatch>($"/api/shifts/{shiftId}/invitations", new { volunteerIds, message = string.IsNullOrWhiteSpace(message) ? null : message }, ct));

    /// <summary>The shift's invitations with their state (GET /api/shifts/{id}/invitations).</summary>
    public Task<ApiResult<InvitationList>> InvitationsAsync(Guid shiftId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<InvitationList>($"/api/shifts/{shiftId}/invitations", ct));

    /// <summary>Answers an invitation from the signed-in person's own list (201 claim · 204).</summary>
    public Task<ApiResult<ClaimReceipt>> AcceptInvitationAsync(Guid invitationId, CancellationToken ct = default) =>
        Guarded(() => PostAsync<ClaimReceipt>($"/api/invitations/{invitationId}/accept", null, ct));

    public Task<ApiResult<bool>> DeclineInvitationAsync(Guid invitationId, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Post, $"/api/invitations/{invitationId}/decline", null, ct));

    /// <summary>The event's shifts with the people on them (GET /api/events/{id}/plan).</summary>
    public Task<ApiResult<EventPlan>> PlanAsync(Guid eventId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<EventPlan>($"/api/events/{eventId}/plan", ct));

    /// <summary>The check-in list of the day (GET /api/events/{id}/attendance).</summary>
    public Task<ApiResult<Attendance>> AttendanceAsync(Guid eventId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<Attendance>($"/api/events/{eventId}/attendance", ct));

    public Task<ApiResult<AttendanceMark>> CheckInAsync(Guid shiftId, Guid claimId, CancellationToken ct = default) =>
        Guarded(() => PostAsync<AttendanceMark>($"/api/shifts/{shiftId}/claims/{claimId}/check-in", null, ct));

    public Task<ApiResult<AttendanceMark>> NoShowAsync(Guid shiftId, Guid claimId, CancellationToken ct = default) =>
        Guarded(() => PostAsync<AttendanceMark>($"/api/shifts/{shiftId}/claims/{claimId}/no-show", null, ct));

    /// <summary>Names a member lead of the shift: they may run the event's check-in (PUT /api/shifts/{id}/lead; 409 not-a-member).</summary>
    public Task<ApiResult<ShiftLead>> NameLeadAsync(Guid shiftId, Guid volunteerId, CancellationToken ct = default) =>
        Guarded(() => SendAsync<ShiftLead>(HttpMethod.Put, $"/api/shifts/{shiftId}/lead", new { volunteerId }, ct: ct));

    /// <summary>Takes back a person's lead of the shift (204).</summary>
    public Task<ApiResult<bool>> RemoveLeadAsync(Guid shiftId, Guid volunteerId, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"/api/shifts/{shiftId}/lead/{volunteerId}", null, ct));

    /// <summary>The event's self check-in code and the address its QR code carries (coordinators and leads).</summary>
    public Task<ApiResult<CheckInCode>> CheckInCodeAsync(Guid eventId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<CheckInCode>($"/api/events/{eventId}/check-in-code", ct));

    /// <summary>"I'm here": checks the caller in on their shift of the event that is on now.</summary>
    public Task<ApiResult<AttendanceMark>> SelfCheckInAsync(Guid eventId, string code, CancellationToken ct = default) =>
        Guarded(() => PostAsync<AttendanceMark>($"/api/events/{eventId}/here", new { code }, ct));

    /// <summary>One page of the organisation's members with their contact details (read and audited by the volunteers service).</summary>
    public Task<ApiResult<Page<MemberContact>>> MembersAsync(string org, string? cursor, CancellationToken ct = default) =>
        Guarded(() => GetAsync<Page<MemberContact>>($"/api/orgs/{Uri.EscapeDataString(org)}/members?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), ct));
}

public sealed record GapList(string Org, string Within, IReadOnlyList<Gap> Items);

/// <summary>One short shift as the gap list answers it.</summary>
public sealed record Gap(
    Guid ShiftId,
    Guid EventId,
    string EventTitle,
    DateTimeOffset EventStartsAt,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocationName,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    int Invited,
    int Missing,
    int Open,
    bool BelowMinimum,
    bool NewcomersWithoutExperienced,
    string? RequiredQualification,
    bool NewcomerFriendly);

public sealed record CandidateList(Guid ShiftId, IReadOnlyList<Candidate> Items);

public sealed record Candidate(Guid VolunteerId, string Name, string? Language, bool Experienced, double HoursLast30Days, bool Waitlisted, IReadOnlyList<string> Reasons);

public sealed record Invitation(Guid Id, Guid VolunteerId, string Name, string State, string? Message, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt);

public sealed record InvitationList(IReadOnlyList<Invitation> Items);

public sealed record SkippedInvitation(Guid VolunteerId, string Reason);

public sealed record InvitationBatch(IReadOnlyList<Invitation> Items, IReadOnlyList<SkippedInvitation>? Skipped);

public sealed record PlanEvent(Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocationName, string? LocationAddress, string Status);

public sealed record PlanPerson(Guid VolunteerId, string Name);

public sealed record PlanShift(Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, int Minimum, IReadOnlyList<PlanPerson> People);

public sealed record EventPlan(PlanEvent Event, IReadOnlyList<PlanShift> Shifts);

public sealed record AttendanceClaim(Guid ClaimId, Guid VolunteerId, string Name, DateTimeOffset? CheckedInAt, bool NoShow);

/// <summary>A shift's lead, named by a coordinator: may run the event's check-in.</summary>
public sealed record ShiftLead(Guid ShiftId, Guid VolunteerId, string Name);

public sealed record AttendanceLead(Guid VolunteerId, string Name);

public sealed record AttendanceShift(Guid ShiftId, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<AttendanceClaim> Claims, IReadOnlyList<AttendanceLead>? Leads = null);

public sealed record Attendance(Guid EventId, string? EventTitle, IReadOnlyList<AttendanceShift> Shifts);

public sealed record AttendanceMark(Guid ClaimId, Guid VolunteerId, DateTimeOffset? CheckedInAt, bool NoShow);

public sealed record CheckInCode(string Code, string Url);

public sealed record MemberContact(Guid VolunteerId, string Name, string? Email, string? Phone, string Role);
