using Shifts.Web.Api;

namespace Shifts.Web.Components.Personal;

/// <summary>What the "I'm here" page shows.</summary>
public enum HereState
{
    /// <summary>Before the tap: the shift on now and the button.</summary>
    Ask,
    CheckedIn,
    NoShiftNow,
    BadCode,
    Failed,
}

/// <summary>The answer to "I'm here" (POST /api/events/{id}/here) in the page's terms.</summary>
public static class HereOutcome
{
    public static HereState From(ApiProblem? problem) => problem switch
    {
        null => HereState.CheckedIn,
        { Code: "no-shift-now" } => HereState.NoShiftNow,
        { Code: "check-in-code-invalid" } or { Status: 404 } or { Code: "validation" } => HereState.BadCode,
        _ => HereState.Failed,
    };
}
