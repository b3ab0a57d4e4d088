namespace Shifts.Contracts;

/// <summary>A person's role in an organisation: "helper", "coordinator", "admin", or null when they left it.</summary>
public sealed record MembershipChanged(Guid VolunteerId, string Org, string? Role);
