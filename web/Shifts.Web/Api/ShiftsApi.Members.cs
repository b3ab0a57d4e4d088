using System.Globalization;

namespace Shifts.Web.Api;

// The coordinators' members pages (the volunteers service's Members, Consent and Qualifications
// operations): the member list with contact details, one member's role, qualifications and
// removal, invitations, and the organisation's qualifications.
public sealed partial class ShiftsApi
{
    /// <summary>A page of the members sorted by name, searched by name or filtered by a qualification (each read is logged by the API).</summary>
    public Task<ApiResult<Page<OrgMember>>> MemberPageAsync(string org, string? search, string? qualification, string? cursor, int limit, CancellationToken ct = default)
    {
        var query = new List<string> { "limit=" + limit.ToString(CultureInfo.InvariantCulture) };
        if (!string.IsNullOrWhiteSpace(search))
        {
            query.Add("search=" + Uri.EscapeDataString(search.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(qualification))
        {
            query.Add("qualification=" + Uri.EscapeDataString(qualification));
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return Guarded(() => GetAsync<Page<OrgMember>>($"{MembersPath(org)}?{string.Join('&', query)}", ct));
    }

    /// <summary>One member with contact details (GET /api/orgs/{org}/members/{id}).</summary>
    public Task<ApiResult<OrgMember>> MemberAsync(string org, Guid volunteerId, CancellationToken ct = default) =>
        Guarded(() => GetAsync<OrgMember>($"{MembersPath(org)}/{volunteerId}", ct));

    /// <summary>Gives a member another role (admins; 409 last-admin).</summary>
    public Task<ApiResult<MemberRole>> ChangeRoleAsync(string org, Guid volunteerId, string role, CancellationToken ct = default) =>
        Guarded(() => SendAsync<MemberRole>(HttpMethod.Put, $"{MembersPath(org)}/{volunteerId}/role", new { role }, ct: ct));

    /// <summary>Sets which of the organisation's qualifications the member holds.</summary>
    public Task<ApiResult<MemberQualifications>> SetQualificationsAsync(string org, Guid volunteerId, IReadOnlyList<string> codes, CancellationToken ct = default) =>
        Guarded(() => SendAsync<MemberQualifications>(HttpMethod.Put, $"{MembersPath(org)}/{volunteerId}/qualifications", new { codes }, ct: ct));

    /// <summary>Ends the membership; the person is told by mail (204).</summary>
    public Task<ApiResult<bool>> RemoveMemberAsync(string org, Guid volunteerId, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"{MembersPath(org)}/{volunteerId}", null, ct));

    /// <summary>Invites a person (202 whoever owns the address: a confirmation link is mailed).</summary>
    public Task<ApiResult<bool>> InviteMemberAsync(string org, NewMemberInvitation invitation, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Post, MembersPath(org), invitation, ct));

    /// <summary>The organisation's invitations as the coordinators typed them, pending and expired.</summary>
    public Task<ApiResult<MemberInvitationList>> MemberInvitationsAsync(string org, CancellationToken ct = default) =>
        Guarded(() => GetAsync<MemberInvitationList>($"{MembersPath(org)}/invitations", ct));

    /// <summary>Withdraws an invitation that was not confirmed yet (204; 404 when it is gone).</summary>
    public Task<ApiResult<bool>> WithdrawInvitationAsync(string org, Guid invitationId, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Delete, $"{MembersPath(org)}/invitations/{invitationId}", null, ct));

    /// <summary>Adds a qualification to the organisation (201; 409 qualification-exists).</summary>
    public Task<ApiResult<Qualification>> AddQualificationAsync(string org, string code, string name, CancellationToken ct = default) =>
        Guarded(() => PostAsync<Qualification>($"/api/orgs/{Uri.EscapeDataString(org)}/qualifications", new { code, name }, ct));

    private static string MembersPath(string org) => $"/api/orgs/{Uri.EscapeDataString(org)}/members";
}

/// <summary>A member as coordinators see them, with contact details.</summary>
public sealed record OrgMember(Guid VolunteerId, string Name, string Email, string? Phone, string Role, IReadOnlyList<string> Qualifications);

public sealed record MemberRole(Guid VolunteerId, string Org, string Role);

public sealed record MemberQualifications(Guid VolunteerId, string Org, IReadOnlyList<string> Codes);

public sealed record NewMemberInvitation(string Name, string Email, string? Role, IReadOnlyList<string> Qualifications, string? Locale);

/// <summary>An invitation as the coordinator typed it; <see cref="State"/> is pending or expired.</summary>
public sealed record MemberInvitation(Guid Id, string Email, string Name, string Role, IReadOnlyList<string> Qualifications, string State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record MemberInvitationList(IReadOnlyList<MemberInvitation> Items);

/// <summary>The three roles of a membership, lowest first.</summary>
public static class MemberRoles
{
    public const string Helper = "helper";
    public const string Coordinator = "coordinator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Helper, Coordinator, Admin];
}
