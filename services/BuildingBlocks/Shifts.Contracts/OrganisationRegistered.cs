namespace Shifts.Contracts;

/// <summary>A new organisation, with the settings other services apply on its behalf.</summary>
public sealed record OrganisationRegistered(Guid OrganisationId, string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline, IReadOnlyList<TimeSpan> GapAlertLeadTimes);
