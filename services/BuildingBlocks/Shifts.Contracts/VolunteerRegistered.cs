namespace Shifts.Contracts;

/// <summary>A person exists. The events service keeps only the name; the notifications service the address and language.</summary>
public sealed record VolunteerRegistered(Guid VolunteerId, string Name, string Email, string Locale);
