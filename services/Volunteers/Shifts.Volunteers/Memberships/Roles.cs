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
