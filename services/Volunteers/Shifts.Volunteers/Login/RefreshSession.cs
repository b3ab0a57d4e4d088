using Shifts.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>The refresh token spent for the next pair (<see cref="RefreshTokens.RotateAsync"/> decides what a presented token gets).</summary>
internal static partial class RefreshSession
{
    public static async Task<Results<Ok<Session>, ProblemHttpResult>> HandleAsync(
        RefreshRequest request,
        HttpContext context,
        RateLimits limits,
        Transactions transactions,
        AccessTokens tokens,
        IOptions<TokenSettings> settings,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (SessionsEndpoints.CheckToken("refreshToken", request.RefreshToken, "'refreshToken' is required: the refresh token of the session.") is { } invalid)
        {
            return invalid;
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = OpaqueTokens.HashOf(request.RefreshToken!.Trim());
        var superseded = false;
        var refreshed = hash is null ? null : await transactions.RunAsync<Refreshed?>(async (tx, ct) =>
        {
            var rotation = await RefreshTokens.RotateAsync(tx, hash, settings.Value.RefreshTokenLifetime, settings.Value.RefreshReuseGrace, time.GetUtcNow(), ct);
            if (rotation is Rotation.Reused reused)
            {
                LogReuse(loggers.CreateLogger(typeof(RefreshSession)), reused.FamilyId);
            }

            superseded = rotation is Rotation.Superseded;

            // A person who no longer exists has no tokens left (erasure deletes them with the row);
            // the check stays for the moment between the two.
            return rotation is Rotation.Rotated rotated && await TokenSubjects.LoadAsync(tx, rotated.VolunteerId, ct) is { } subject
                ? new Refreshed(subject, rotated.RefreshToken)
                : null;
        }, cancellationToken);
        if (superseded)
        {
            return Problem.Create(StatusCodes.Status409Conflict, SessionsEndpoints.RefreshTokenSuperseded, "Refresh token superseded",
                "This refresh token was spent moments ago by another request of this session, which got the next pair. The session goes on; use the newer token.");
        }

        if (refreshed is null)
        {
            // The same answer for unknown, spent, revoked and expired tokens.
            return Problem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Unauthenticated",
                "This refresh token is invalid, used, revoked or expired. Log in again.");
        }

        return TypedResults.Ok(Session.Of(tokens, refreshed.Subject, refreshed.RefreshToken));
    }

    private sealed record Refreshed(TokenSubject Subject, string RefreshToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A spent refresh token was presented again; its session {FamilyId} is revoked")]
    private static partial void LogReuse(ILogger logger, Guid familyId);
}
