namespace Shifts.Contracts;

/// <summary>
/// Published shifts of an organisation that still lack their minimum <paramref name="LeadTime"/>
/// before they start (the organisation's gap alert lead times, e.g. 48 h and 24 h): one message per
/// organisation and lead time listing all of them, so coordinators get one mail, not one per shift.
/// </summary>
public sealed record ShiftsUnderstaffed(string Org, TimeSpan LeadTime, IReadOnlyList<UnderstaffedShift> Shifts);
