namespace Shifts.Contracts;

/// <summary>An event is visible to everyone and its shifts can be claimed.</summary>
public sealed record EventPublished(Guid EventId, string Org, string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocationName);
