namespace Shifts.Contracts;

/// <summary>
/// A shift's title, time, place or staffing changed. Affected: everyone holding a claim on it.
/// <c>OldLocationName</c> and <c>OldLocationAddress</c> are the place before, when the change moved
/// it (its event's location changed); null when the place stayed.
/// </summary>
public sealed record ShiftChanged(
    ShiftDetails Shift,
    DateTimeOffset OldStartsAt,
    DateTimeOffset OldEndsAt,
    int Capacity,
    int Minimum,
    IReadOnlyList<Guid> AffectedVolunteerIds,
    string? OldLocationName = null,
    string? OldLocationAddress = null);
