namespace Shifts.Contracts;

/// <summary>The qualification codes a person holds in an organisation, all of them.</summary>
public sealed record QualificationsChanged(Guid VolunteerId, string Org, IReadOnlyList<string> Codes);
