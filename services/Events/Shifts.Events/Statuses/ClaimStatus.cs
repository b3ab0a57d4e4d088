namespace Shifts.Events.Statuses;

/// <summary>A claim's status, as the claims table and the API spell it: a given-back claim stays as a cancelled row.</summary>
public static class ClaimStatus
{
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}
