namespace Shifts.Contracts;

/// <summary>
/// A person asked to use <paramref name="NewEmail"/> from now on; the change applies only when the
/// link mailed to the new address is used before <paramref name="ExpiresAt"/>.
/// </summary>
public sealed record EmailChangeRequested(Guid VolunteerId, string NewEmail, string Name, string Locale, Uri Link, DateTimeOffset ExpiresAt);
