namespace Shifts.Contracts;

/// <summary>A shift was added to an event.</summary>
public sealed record ShiftCreated(ShiftDetails Shift, int Capacity, int Minimum, string? RequiredQualification, bool NewcomerFriendly);
