namespace Shifts.Chaos;

/// <summary>What one fault scenario reports: its figures and the invariant checks it ran.</summary>
public sealed record ScenarioResult(
    string Name,
    string Fault,
    bool Passed,
    Figures Figures,
    IReadOnlyList<Check> Checks,
    IReadOnlyList<string> Notes,
    string? Error);

public sealed record Figures(
    int ClaimsAttempted,
    int ClaimsConfirmed,
    int ClaimsConflict,
    int ClaimsDuringFault,
    int ConfirmedDuringFault,
    int Answers503,
    int Answers503WithRetryAfter,
    double Max503Millis,
    int Answers500,
    int Answers502Or504,
    int NoAnswer,
    double FaultSeconds,
    double? FirstClaimAfterFaultSeconds,
    double? SettledSeconds);

/// <summary>The window of a fault: from the moment it was injected to the moment it was repaired.</summary>
public sealed class FaultWindow
{
    public DateTime Start { get; set; }

    public DateTime End { get; set; }
}
