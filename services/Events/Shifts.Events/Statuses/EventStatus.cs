namespace Shifts.Events.Statuses;

/// <summary>An event's status, as the events table and the API spell it (shifts copy it as event_status).</summary>
public static class EventStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Postponed = "postponed";
    public const string Cancelled = "cancelled";
}
