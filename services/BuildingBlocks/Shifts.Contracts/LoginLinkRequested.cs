namespace Shifts.Contracts;

/// <summary>
/// A person asked for a login link. Carries the address and the link itself because the mail must
/// go out even before the notifications service's replica knows a just-registered person.
/// </summary>
public sealed record LoginLinkRequested(Guid VolunteerId, string Email, string Name, string Locale, Uri Link, DateTimeOffset ExpiresAt);
