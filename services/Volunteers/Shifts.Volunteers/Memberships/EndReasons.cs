namespace Shifts.Volunteers.Memberships;

/// <summary>Why a membership ended, as MembershipEnded says it (the mail differs).</summary>
public static class EndReasons
{
    public const string Left = "left";
    public const string Removed = "removed";
}
