using System.Text.Json;
using System.Text.Json.Serialization;
using Shifts.Events.Shifts;

namespace Shifts.Events.Events;

/// <summary>What an event is about; in JSON and in the database as kebab-case ("info-stand").</summary>
public enum EventKind
{
    InfoStand,
    Distribution,
    Festival,
    Panel,
    Workshop,
    Meeting,
    Social,
    Awareness,
}

public static class EventKinds
{
    public static string Code(EventKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public static bool TryParse(string? code, out EventKind kind)
    {
        foreach (var candidate in Enum.GetValues<EventKind>())
        {
            if (string.Equals(Code(candidate), code, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string AllCodes => string.Join(", ", Enum.GetValues<EventKind>().Select(Code));
}

public sealed record EventLocation(string? Name, string? Address);

/// <summary>POST /api/orgs/{org}/events.</summary>
public sealed record NewEvent(
    string? Title,
    EventKind? Kind,
    string? Description,
    EventLocation? Location,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    RecurrenceRule? Recurrence,
    IReadOnlyList<ShiftSpec>? Shifts);

/// <summary>
/// A weekly series: on the given weekdays, until a local date (inclusive) or for a number of
/// occurrences (the first included).
/// </summary>
public sealed record RecurrenceRule(IReadOnlyList<DayOfWeek>? Weekdays, DateOnly? Until, int? Count);

/// <summary>PATCH /api/events/{id}: absent (or null) leaves a field as it is; an empty description or address removes it.</summary>
public sealed record EventEdit(string? Title, string? Description, EventLocation? Location);

/// <summary>The body of postpone; it may be sent without one.</summary>
public sealed record EventReason(string? Reason);

/// <summary>The body of cancel (it may be sent without one); <c>following</c>: this occurrence of a series and every later one.</summary>
public sealed record EventCancel(string? Reason, bool? Following);

/// <summary>POST /api/events/{id}/preview: what an action would do, with the fields that action takes.</summary>
public sealed record EventPreviewRequest(string? Action, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, bool? Series, bool? Following);

/// <summary>
/// The consequences of an action, counted without doing it: the events it touches, the distinct
/// people who would get a mail, the claims it would release (and of those, the ones released
/// because the new time overlaps another claim of the person), the shifts of the events touched.
/// </summary>
public sealed record EventPreview(string Action, int Events, int Told, int Released, int Overlapping, int Shifts);

public sealed record EventReschedule(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

/// <summary>An event with its shifts and their staffing; instants in the organisation's local offset.</summary>
public sealed record EventView(
    Guid Id,
    string Org,
    Guid? SeriesId,
    string Title,
    string Kind,
    string? Description,
    EventLocation Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string Status,
    string? StatusReason,
    IReadOnlyList<EventShiftView> Shifts)
{
    /// <summary>Every event a new series created, the first included; only in the answer to the creation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OccurrenceView>? Occurrences { get; init; }
}

public sealed record EventShiftView(
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
    string Status);

public sealed record OccurrenceView(Guid Id, DateTimeOffset StartsAt);

/// <summary>One row of an organisation's event list.</summary>
public sealed record EventSummary(
    Guid Id,
    Guid? SeriesId,
    string Title,
    string Kind,
    EventLocation Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Status,
    string? StatusReason);

