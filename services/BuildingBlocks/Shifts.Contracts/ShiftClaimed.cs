namespace Shifts.Contracts;

/// <summary>A volunteer holds a confirmed place on a shift.</summary>
public sealed record ShiftClaimed(Guid ClaimId, Guid VolunteerId, ShiftDetails Shift);
