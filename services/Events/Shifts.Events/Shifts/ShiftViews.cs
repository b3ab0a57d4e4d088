namespace Shifts.Events.Shifts;

public sealed record LocationView(string Name, string? Address);

/// <summary>One row of the open-shift list.</summary>
public sealed record OpenShiftView(
    Guid Id,
    Guid EventId,
    string EventTitle,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    LocationView Location,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly);

public sealed record ClaimantView(Guid VolunteerId, string Name);

/// <summary>A shift with its staffing and the display names of its claimants.</summary>
public sealed record ShiftView(
    Guid Id,
    Guid EventId,
    string Org,
    string EventTitle,
    string EventStatus,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    LocationView Location,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly,
    string Status,
    IReadOnlyList<ClaimantView> Claimants);

public sealed record ShiftPatch(
    string? Title,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? Capacity,
    int? Minimum,
    string? RequiredQualification,
    bool? NewcomerFriendly);

public sealed record CancelRequest(string? Reason);
