namespace Shifts.ServiceDefaults.Problems;

/// <summary>The machine-readable <c>code</c> member of every problem response (docs/api.md, "Errors").</summary>
public static class ProblemCodes
{
    public const string Validation = "validation";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate-limited";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";

    /// <summary>The code a bare status gets when the endpoint did not choose a more specific one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 or 414 or 415 or 431 => Validation,
        429 => RateLimited,
        503 => Unavailable,
        _ => status >= 500 ? Internal : "error",
    };
}
