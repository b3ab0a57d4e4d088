namespace Shifts.Contracts;

/// <summary>
/// A person's address changed (confirmed from the new one): the old address is told, so that a
/// change nobody meant does not go unnoticed. The replicas follow <see cref="VolunteerProfileChanged"/>.
/// </summary>
public sealed record EmailChanged(Guid VolunteerId, string OldEmail, string NewEmail, string Name, string Locale);
