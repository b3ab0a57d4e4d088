namespace Shifts.Contracts;

/// <summary>
/// A confirmed claim ended. Reason: "self", "late" (after the deadline, by a coordinator's leave),
/// "coordinator", "event-cancelled", "shift-cancelled", "reschedule-conflict" or "erased".
/// </summary>
public sealed record ClaimCancelled(Guid ClaimId, Guid VolunteerId, string Reason, ShiftDetails Shift);
