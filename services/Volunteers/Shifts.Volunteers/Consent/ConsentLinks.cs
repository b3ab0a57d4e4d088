using Shifts.ServiceDefaults.Security;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.Volunteers.Login;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Consent;

/// <summary>
/// The single-purpose links of double opt-in: where they point in the web app (the one place that
/// names these paths), how long they live (<c>Consent:RequestLifetime</c>, default 7 days), and
/// their tokens (<see cref="OpaqueTokens"/>: 32 random bytes, stored only as their SHA-256 hash).
/// </summary>
public static class ConsentLinks
{
    /// <summary>The web app's page that confirms a membership request: <c>{PublicBaseUrl}join/confirm?token=…</c>.</summary>
    public const string MembershipPath = "join/confirm";

    /// <summary>The web app's page that confirms a new address: <c>{PublicBaseUrl}me/email/confirm?token=…</c>.</summary>
    public const string EmailPath = "me/email/confirm";

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    /// <summary>The problem code of a used, expired or unknown confirmation token (410).</summary>
    public const string Invalid = "confirmation-invalid";

    public static TimeSpan Lifetime(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Consent:RequestLifetime"];
        return value is not null && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var lifetime) && lifetime > TimeSpan.Zero
            ? lifetime
            : DefaultLifetime;
    }

    /// <summary>A new token: what goes into the link, and the hash the database keeps.</summary>
    public static (string Token, byte[] Hash) NewToken() => OpaqueTokens.Create();

    /// <summary>The hash a token from a link is stored under; null when it cannot be one of ours (same rules as login links).</summary>
    public static byte[]? HashOf(string? token) =>
        string.IsNullOrWhiteSpace(token) || token.Length > 200 ? null : OpaqueTokens.HashOf(token.Trim());

    /// <summary>
    /// The token of a confirmation request: 400 when it is missing or longer than 200 characters,
    /// 429 over the client's limit (counted like a login link's exchange), 410 when it cannot be
    /// one of ours; otherwise the hash it would be stored under, to look up.
    /// </summary>
    public static async Task<(byte[]? Hash, ProblemHttpResult? Refusal)> ReadTokenAsync(string? token, HttpContext context, RateLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, Problem.Validation("token", "'token' is required: the token from the confirmation link."));
        }

        if (token.Length > 200)
        {
            return (null, Problem.Validation("token", "'token' may be at most 200 characters long."));
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return (null, tooMany);
        }

        return HashOf(token) is { } hash ? (hash, null) : (null, InvalidToken());
    }

    /// <summary>One answer for unknown, used and expired tokens (410): none of them says more than the others.</summary>
    public static ProblemHttpResult InvalidToken() =>
        Problem.Create(StatusCodes.Status410Gone, Invalid, "Confirmation link invalid",
            "This confirmation link is invalid, used or expired. Ask for a new one.");

    public static Uri Link(IConfiguration configuration, string path, string token) =>
        new(LoginLinks.PublicBaseUrl(configuration), $"{path}?token={token}");
}
