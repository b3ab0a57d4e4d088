namespace Shifts.Contracts;

/// <summary>An event is postponed without a new date; claims are kept. Affected: everyone holding a claim.</summary>
public sealed record EventPostponed(Guid EventId, string Org, string Title, DateTimeOffset StartsAt, string? Reason, IReadOnlyList<Guid> AffectedVolunteerIds);
