namespace Shifts.Contracts;

/// <summary>
/// What a message about one shift must say for a person to recognise it: event, shift, place and time (UTC).
/// <c>Revision</c> counts the changes a person sees (times, titles, place, status; the events
/// service's calendar sequence): the SEQUENCE of the shift's calendar entries, so the entry of a
/// later message replaces an earlier one. 0 where a sender does not know it.
/// </summary>
public sealed record ShiftDetails(
    Guid ShiftId,
    Guid EventId,
    string Org,
    string EventTitle,
    string ShiftTitle,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocationName,
    string? LocationAddress,
    long Revision = 0);
