namespace Shifts.Contracts;

/// <summary>The answer to <see cref="NewcomerShiftsRequested"/>: open newcomer-friendly shifts in start order (times in UTC); empty when there are none.</summary>
public sealed record NewcomerShiftsListed(string Org, IReadOnlyList<ShiftDetails> Shifts);
