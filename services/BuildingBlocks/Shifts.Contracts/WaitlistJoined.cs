namespace Shifts.Contracts;

/// <summary>A volunteer is waiting for a place on a full shift, at this position.</summary>
public sealed record WaitlistJoined(Guid VolunteerId, int Position, ShiftDetails Shift);
