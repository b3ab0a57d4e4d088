namespace Shifts.Contracts;

/// <summary>
/// A person's role in an organisation: "helper", "coordinator", "admin", or null when they left it.
/// <paramref name="Version"/> grows with every change of one membership (volunteer, org): consumers
/// process concurrently and retry, so two changes may arrive out of order, and a replica applies one
/// only if it is newer than the last it applied, removals included. 0 from publishers that predate it.
/// </summary>
public sealed record MembershipChanged(Guid VolunteerId, string Org, string? Role, long Version = 0);
