namespace Shifts.Contracts;

/// <summary>
/// A request (MassTransit request/response) from the volunteers service assembling a GDPR export:
/// the events service answers with <see cref="PersonalDataExported"/> holding what it keeps about the person.
/// </summary>
public sealed record ClaimsExportRequested(Guid VolunteerId);
