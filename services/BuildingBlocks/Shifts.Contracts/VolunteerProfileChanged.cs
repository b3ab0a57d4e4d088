namespace Shifts.Contracts;

/// <summary>A person's name, address, language or notification preferences changed; carries all of them.</summary>
public sealed record VolunteerProfileChanged(Guid VolunteerId, string Name, string Email, string Locale, NotificationPreferences Preferences);
