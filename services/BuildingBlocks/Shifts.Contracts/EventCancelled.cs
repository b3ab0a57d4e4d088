namespace Shifts.Contracts;

/// <summary>An event is cancelled and every claim released. Affected: everyone who held a claim.</summary>
public sealed record EventCancelled(Guid EventId, string Org, string Title, DateTimeOffset StartsAt, string? Reason, IReadOnlyList<Guid> AffectedVolunteerIds);
