namespace Shifts.Contracts;

/// <summary>One service's part of a GDPR export: everything it holds about the person, as a JSON document.</summary>
public sealed record PersonalDataExported(Guid VolunteerId, string Service, string Json);
