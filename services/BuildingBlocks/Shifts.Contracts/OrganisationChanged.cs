namespace Shifts.Contracts;

/// <summary>An organisation's name or settings changed; carries all of them, so consumers simply replace their copy.</summary>
public sealed record OrganisationChanged(Guid OrganisationId, string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline, IReadOnlyList<TimeSpan> GapAlertLeadTimes);
