namespace Shifts.Contracts;

/// <summary>A shift was cancelled and its claims released. Affected: everyone who held a claim.</summary>
public sealed record ShiftCancelled(ShiftDetails Shift, IReadOnlyList<Guid> AffectedVolunteerIds);
