namespace Shifts.Contracts;

/// <summary>One short shift in <see cref="ShiftsUnderstaffed"/>: which shift, how many hold a confirmed place, how many it needs at least.</summary>
public sealed record UnderstaffedShift(ShiftDetails Shift, int Confirmed, int Minimum);
