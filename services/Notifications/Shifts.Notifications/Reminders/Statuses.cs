namespace Shifts.Notifications.Reminders;

/// <summary>The states of a row in <c>claims</c>: whether the claim still stands, and so whether it is reminded of.</summary>
public static class ClaimStatus
{
    public const string Active = "active";
    public const string Cancelled = "cancelled";

    /// <summary>The event is postponed (no date): the claim stands, but nobody is reminded of a time that no longer holds.</summary>
    public const string Postponed = "postponed";
}

/// <summary>The states of a row in <c>reminders</c>.</summary>
public static class ReminderStatus
{
    /// <summary>Waiting for its due time.</summary>
    public const string Pending = "pending";

    /// <summary>Turned into a delivery.</summary>
    public const string Done = "done";

    /// <summary>Not sent: its time passed, the shift began, or a closer reminder of the same claim went instead.</summary>
    public const string Skipped = "skipped";

    /// <summary>No longer wanted: the claim no longer stands, the lead time was dropped, or the person is gone.</summary>
    public const string Cancelled = "cancelled";
}
