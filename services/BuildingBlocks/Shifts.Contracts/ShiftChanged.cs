namespace Shifts.Contracts;

/// <summary>A shift's title, time or staffing changed. Affected: everyone holding a claim on it.</summary>
public sealed record ShiftChanged(ShiftDetails Shift, DateTimeOffset OldStartsAt, DateTimeOffset OldEndsAt, int Capacity, int Minimum, IReadOnlyList<Guid> AffectedVolunteerIds);
