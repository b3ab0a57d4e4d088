namespace Shifts.Contracts;

/// <summary>
/// An event is postponed without a new date; claims are kept. Affected: everyone holding a claim.
/// <c>Shifts</c> are the event's shifts with the revisions the postponement raised, so a consumer can
/// tell a postponement overtaken by a later reschedule; null from a sender before they were listed.
/// </summary>
public sealed record EventPostponed(
    Guid EventId, string Org, string Title, DateTimeOffset StartsAt, string? Reason, IReadOnlyList<Guid> AffectedVolunteerIds,
    IReadOnlyList<ShiftDetails>? Shifts = null);
