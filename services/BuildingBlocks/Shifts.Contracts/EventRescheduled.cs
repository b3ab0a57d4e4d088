namespace Shifts.Contracts;

/// <summary>
/// An event moved, its shifts with it. Affected: everyone whose claim was kept (they are told the
/// new time). Claims released because they now overlapped another claim are announced separately
/// as <see cref="ClaimCancelled"/> with reason "reschedule-conflict".
/// </summary>
public sealed record EventRescheduled(
    Guid EventId,
    string Org,
    string Title,
    DateTimeOffset OldStartsAt,
    DateTimeOffset OldEndsAt,
    DateTimeOffset NewStartsAt,
    DateTimeOffset NewEndsAt,
    IReadOnlyList<Guid> AffectedVolunteerIds);
