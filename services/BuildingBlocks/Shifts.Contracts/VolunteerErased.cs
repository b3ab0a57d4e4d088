namespace Shifts.Contracts;

/// <summary>A person asked to be forgotten (GDPR art. 17): every service removes or anonymises what it holds about them.</summary>
public sealed record VolunteerErased(Guid VolunteerId);
