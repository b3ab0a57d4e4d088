namespace Shifts.Events.Statuses;

/// <summary>A shift's own status, as the shifts table and the API spell it (its event's is <see cref="EventStatus"/>).</summary>
public static class ShiftStatus
{
    public const string Open = "open";
    public const string Cancelled = "cancelled";
}
