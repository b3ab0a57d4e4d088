namespace Shifts.Contracts;

/// <summary>
/// A volunteer holds a confirmed place on a shift. <paramref name="AssignedBy"/> is the coordinator
/// who put them there (POST /api/shifts/{id}/assignments), or null when they claimed it themselves
/// (a claim, or an accepted invitation).
/// </summary>
public sealed record ShiftClaimed(Guid ClaimId, Guid VolunteerId, ShiftDetails Shift, Guid? AssignedBy = null);
