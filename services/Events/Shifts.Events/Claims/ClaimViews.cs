using Shifts.Events.Staffing;

namespace Shifts.Events.Claims;

public sealed record WaitlistPlace(Guid ShiftId, int Position);

/// <summary>
/// The result of a claim attempt, stored for Idempotency-Key replays: either the claim (201 new,
/// 200 already held) or a problem (status, code, detail and extra members).
/// </summary>
public sealed record ClaimOutcome(int Status, ClaimView? Claim, string? Code = null, string? Detail = null, Dictionary<string, object?>? Extensions = null);
