namespace Shifts.Contracts;

/// <summary>A place freed up and went to the first volunteer on the waitlist, who now holds this claim.</summary>
public sealed record WaitlistPromoted(Guid ClaimId, Guid VolunteerId, ShiftDetails Shift);
