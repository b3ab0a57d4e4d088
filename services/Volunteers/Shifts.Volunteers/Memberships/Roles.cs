using Shifts.ServiceDefaults.Auth;

namespace Shifts.Volunteers.Memberships;

/// <summary>The roles a member holds in an organisation, as stored in <c>memberships.role</c> and sent in MembershipChanged.</summary>
public static class Roles
{
    public const string Helper = "helper";
    public const string Coordinator = "coordinator";
    public const string Admin = "admin";

    public static bool IsRole(string? value) => value is not null && Caller.TryParseRole(value, out _);
}

/// <summary>Why a membership ended, as MembershipEnded says it (the mail differs).</summary>
public static class EndReasons
{
    public const string Left = "left";
    public const string Removed = "removed";
}

/// <summary>What a coordinator read, as recorded in <c>contact_access_log.action</c> (and shown in the reader's own export).</summary>
public static class ContactReads
{
    public const string List = "list";
    public const string Search = "search";
    public const string Read = "read";
    public const string Invitations = "invitations";
}
