namespace Shifts.Contracts;

/// <summary>
/// An event moved, its shifts with it. Affected: everyone whose claim was kept (they are told the
/// new time). Claims released because they now overlapped another claim are announced separately
/// as <see cref="ClaimCancelled"/> with reason "reschedule-conflict".
/// <c>Shifts</c> are the event's shifts after the move (new times, raised revisions), so a consumer
/// keeping shift times can tell whether it holds newer ones; null from a sender before they were
/// listed (then every shift moved by <c>NewStartsAt - OldStartsAt</c>).
/// </summary>
public sealed record EventRescheduled(
    Guid EventId,
    string Org,
    string Title,
    DateTimeOffset OldStartsAt,
    DateTimeOffset OldEndsAt,
    DateTimeOffset NewStartsAt,
    DateTimeOffset NewEndsAt,
    IReadOnlyList<Guid> AffectedVolunteerIds,
    IReadOnlyList<ShiftDetails>? Shifts = null);
