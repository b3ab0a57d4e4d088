using Shifts.Events.Organisations;

namespace Shifts.Events.Shifts;

/// <summary>
/// A shift with its event's title and place as Dapper reads it from <see cref="Columns"/>: the open
/// shifts list reads it as is, the shift page and the caller's shifts read it with a few columns more.
/// </summary>
internal class OpenShiftRow
{
    /// <summary>The columns, with <c>shifts</c> as <c>s</c> and <c>events</c> as <c>e</c>.</summary>
    public const string Columns = """
        s.id, s.event_id, e.title AS event_title, s.kind, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
        s.capacity, s.minimum, s.confirmed, s.waitlisted, s.required_qualification, s.newcomer_friendly
        """;

    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public string EventTitle { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public string LocationName { get; init; } = "";
    public string? LocationAddress { get; init; }
    public int Capacity { get; init; }
    public int Minimum { get; init; }
    public int Confirmed { get; init; }
    public int Waitlisted { get; init; }
    public string? RequiredQualification { get; init; }
    public bool NewcomerFriendly { get; init; }

    public LocationView Location => new(LocationName, LocationAddress);

    /// <summary>The view in the organisation's local time (as stored, in UTC, when the organisation is not known here).</summary>
    public OpenShiftView ToView(Organisation? organisation) =>
        new(Id, EventId, EventTitle, Kind, Title, organisation?.Local(StartsAt) ?? StartsAt, organisation?.Local(EndsAt) ?? EndsAt, Location,
            Capacity, Minimum, Confirmed, Waitlisted, RequiredQualification, NewcomerFriendly);
}
