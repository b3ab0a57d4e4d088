using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

/// <summary>
/// A session's tokens: the access token (a bearer JWT valid for <c>ExpiresIn</c> seconds) and the
/// refresh token that gets the next pair from <c>POST /api/auth/refresh</c>.
/// </summary>
public sealed record Session(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken)
{
    public static Session Of(AccessTokens tokens, TokenSubject subject, string refreshToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return new Session(tokens.Issue(subject), "Bearer", (int)tokens.Lifetime.TotalSeconds, refreshToken);
    }
}

/// <summary>
/// Passwordless login, step two, and the life of the session it opens. The token from the mailed
/// link is exchanged for an access token and a refresh token (<see cref="OpenSession"/>); access
/// tokens live minutes; the refresh token gets the next pair, with the person's current name and
/// memberships, and is spent by doing so (<see cref="RefreshSession"/>, <see cref="RefreshTokens"/>).
/// Logout revokes sessions (<see cref="Logout"/>).
/// </summary>
public static class SessionsEndpoints
{
    /// <summary>The problem code of a refresh token spent moments ago by another request of the same session (409).</summary>
    public const string RefreshTokenSuperseded = "refresh-token-superseded";

    /// <summary>Longer tokens are refused before any work: ours are 43 characters.</summary>
    internal const int MaxTokenLength = 200;

    /// <summary>400 naming <paramref name="field"/> when the token is missing (<paramref name="missing"/> says what it is) or too long.</summary>
    internal static ProblemHttpResult? CheckToken(string field, string? token, string missing) =>
        string.IsNullOrWhiteSpace(token) ? Problem.Validation(field, missing)
        : token.Length > MaxTokenLength ? Problem.Validation(field, $"'{field}' may be at most {MaxTokenLength} characters long.")
        : null;

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sessions");
        auth.MapPost("/sessions", OpenSession.HandleAsync)
            .WithSummary("Exchange a login link's token for a session")
            .WithDescription("The token from the mailed link works once and for 15 minutes. Answers an access token and a refresh token.")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", RefreshSession.HandleAsync)
            .WithSummary("Get a new access token and refresh token")
            .WithDescription("Spends the refresh token and answers the next pair, with the person's current name and memberships. "
                + "A refresh token works once: presenting a spent one again revokes its whole session, except within Auth:RefreshReuseGrace (30 s) of its use, "
                + $"when it is refused with 409 {RefreshTokenSuperseded} and the session goes on. Send it without an Authorization header.")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated)
            .ProducesProblems(StatusCodes.Status409Conflict, RefreshTokenSuperseded)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", Logout.HandleAsync)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("End this session, or every session of the caller")
            .WithDescription("Revokes the session of the given refresh token (if it is the caller's), or with everywhere: true all of the caller's sessions. "
                + "Access tokens already issued end on their own within minutes.")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return app;
    }
}
