namespace Shifts.Contracts;

/// <summary>
/// An event is cancelled and every claim released. Affected: everyone who held a claim.
/// <c>Shifts</c> are the event's shifts (cancelled with it), so a consumer that learns of a claim on
/// one of them later knows it does not stand; null from a sender before they were listed.
/// </summary>
public sealed record EventCancelled(
    Guid EventId, string Org, string Title, DateTimeOffset StartsAt, string? Reason, IReadOnlyList<Guid> AffectedVolunteerIds,
    IReadOnlyList<ShiftDetails>? Shifts = null);
