namespace Shifts.Events.Staffing;

/// <summary>A volunteer's place on a shift, as the claim endpoints answer it.</summary>
public sealed record ClaimView(Guid Id, Guid ShiftId, Guid VolunteerId, string Status, DateTimeOffset CreatedAt);
