namespace Shifts.Contracts;

/// <summary>
/// A coordinator asked a member to take a shift. Carries the single-purpose token of the mail's
/// "I'll take it" / "not this time" links (the events service keeps only its hash), the
/// coordinator's own words, and when the invitation lapses (at the shift's start or earlier).
/// </summary>
public sealed record ShiftInvitationSent(
    Guid InvitationId,
    Guid VolunteerId,
    Guid InvitedBy,
    string InvitedByName,
    string? Message,
    string Token,
    DateTimeOffset ExpiresAt,
    ShiftDetails Shift);
