namespace Shifts.Contracts;

/// <summary>What a message about one shift must say for a person to recognise it: event, shift, place and time (UTC).</summary>
public sealed record ShiftDetails(
    Guid ShiftId,
    Guid EventId,
    string Org,
    string EventTitle,
    string ShiftTitle,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocationName,
    string? LocationAddress);
