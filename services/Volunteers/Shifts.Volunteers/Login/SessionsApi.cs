using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

public sealed record SessionRequest(string? Token);

/// <summary>
/// A session's tokens: the access token (a bearer JWT valid for <c>ExpiresIn</c> seconds) and the
/// refresh token that gets the next pair from <c>POST /api/auth/refresh</c>.
/// </summary>
public sealed record Session(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Ends the session the refresh token belongs to, or with <c>everywhere</c> every session of the caller.</summary>
public sealed record LogoutRequest(string? RefreshToken, bool? Everywhere);

/// <summary>
/// Passwordless login, step two, and the life of the session it opens. The token from the mailed
/// link is exchanged for an access token and a refresh token; one conditional UPDATE spends the
/// link, so it works once however many requests race for it, and not after its 15 minutes. Access
/// tokens live minutes; the refresh token gets the next pair, with the person's current name and
/// memberships, and is spent by doing so (<see cref="RefreshTokens"/>). Logout revokes sessions.
/// </summary>
public static partial class SessionsApi
{
    private const int MaxTokenLength = 200;

    private sealed record Opened(TokenSubject Subject, string RefreshToken);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/sessions", CreateSession)
            .WithSummary("Exchange a login link's token for a session")
            .WithDescription("The token from the mailed link works once and for 15 minutes. Answers an access token and a refresh token.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        app.MapPost("/api/auth/refresh", Refresh)
            .WithSummary("Get a new access token and refresh token")
            .WithDescription("Spends the refresh token and answers the next pair, with the person's current name and memberships. "
                + "A refresh token works once: presenting a spent one again revokes its whole session, except within Auth:RefreshReuseGrace (30 s) of its use, "
                + "when it is refused with 409 refresh-token-superseded and the session goes on. Send it without an Authorization header.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        app.MapPost("/api/auth/logout", Logout)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("End this session, or every session of the caller")
            .WithDescription("Revokes the session of the given refresh token (if it is the caller's), or with everywhere: true all of the caller's sessions. "
                + "Access tokens already issued end on their own within minutes.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Results<Ok<Session>, ProblemHttpResult>> CreateSession(
        SessionRequest request,
        HttpContext context,
        RateLimits limits,
        Transactions transactions,
        AccessTokens tokens,
        IOptions<TokenSettings> settings,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Problem.Validation("token", "'token' is required: the token from the login link.");
        }

        if (request.Token.Length > MaxTokenLength)
        {
            return Problem.Validation("token", $"'token' may be at most {MaxTokenLength} characters long.");
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = LoginLinks.HashOf(request.Token.Trim());
        var opened = hash is null ? null : await transactions.RunAsync<Opened?>(async (tx, ct) =>
        {
            var now = time.GetUtcNow();
            if (await SpendAsync(tx, hash, now, ct) is not { } subject)
            {
                return null;
            }

            var refreshToken = await RefreshTokens.OpenFamilyAsync(tx, subject.VolunteerId, settings.Value.RefreshTokenLifetime, settings.Value.SessionLifetime, now, ct);
            return new Opened(subject, refreshToken);
        }, cancellationToken);
        if (opened is null)
        {
            // One answer for unknown, used and expired links: none of them says more than the others.
            return Problem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Unauthenticated",
                "This login link is invalid, used or expired. Ask for a new one.");
        }

        return TypedResults.Ok(new Session(tokens.Issue(opened.Subject), "Bearer", (int)tokens.Lifetime.TotalSeconds, opened.RefreshToken));
    }

    private static async Task<Results<Ok<Session>, ProblemHttpResult>> Refresh(
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
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return Problem.Validation("refreshToken", "'refreshToken' is required: the refresh token of the session.");
        }

        if (request.RefreshToken.Length > MaxTokenLength)
        {
            return Problem.Validation("refreshToken", $"'refreshToken' may be at most {MaxTokenLength} characters long.");
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = OpaqueTokens.HashOf(request.RefreshToken.Trim());
        var superseded = false;
        var refreshed = hash is null ? null : await transactions.RunAsync<Opened?>(async (tx, ct) =>
        {
            var rotation = await RefreshTokens.RotateAsync(tx, hash, settings.Value.RefreshTokenLifetime, settings.Value.RefreshReuseGrace, time.GetUtcNow(), ct);
            if (rotation is Rotation.Reused reused)
            {
                LogReuse(loggers.CreateLogger(typeof(SessionsApi)), reused.FamilyId);
            }

            superseded = rotation is Rotation.Superseded;

            // A person who no longer exists has no tokens left (erasure deletes them with the row);
            // the check stays for the moment between the two.
            return rotation is Rotation.Rotated rotated && await LoadSubjectAsync(tx, rotated.VolunteerId, ct) is { } subject
                ? new Opened(subject, rotated.RefreshToken)
                : null;
        }, cancellationToken);
        if (superseded)
        {
            return Problem.Create(StatusCodes.Status409Conflict, "refresh-token-superseded", "Refresh token superseded",
                "This refresh token was spent moments ago by another request of this session, which got the next pair. The session goes on; use the newer token.");
        }

        if (refreshed is null)
        {
            // The same answer for unknown, spent, revoked and expired tokens.
            return Problem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Unauthenticated",
                "This refresh token is invalid, used, revoked or expired. Log in again.");
        }

        return TypedResults.Ok(new Session(tokens.Issue(refreshed.Subject), "Bearer", (int)tokens.Lifetime.TotalSeconds, refreshed.RefreshToken));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Logout(
        LogoutRequest? request,
        Caller caller,
        Transactions transactions,
        CancellationToken cancellationToken)
    {
        var everywhere = request?.Everywhere == true;
        var refreshToken = request?.RefreshToken;
        if (!everywhere && string.IsNullOrWhiteSpace(refreshToken))
        {
            return Problem.Validation("refreshToken", "Give the session's 'refreshToken', or 'everywhere': true to end every session.");
        }

        if (refreshToken is { Length: > MaxTokenLength })
        {
            return Problem.Validation("refreshToken", $"'refreshToken' may be at most {MaxTokenLength} characters long.");
        }

        var id = caller.RequiredId;
        var hash = string.IsNullOrWhiteSpace(refreshToken) ? null : OpaqueTokens.HashOf(refreshToken.Trim());
        if (everywhere || hash is not null)
        {
            await transactions.RunAsync(async (tx, ct) =>
            {
                if (everywhere)
                {
                    await RefreshTokens.RevokeAllAsync(tx, id, ct);
                }
                else
                {
                    // Someone else's token (or none of ours) revokes nothing, and the answer is the same.
                    await RefreshTokens.RevokeFamilyOfAsync(tx, hash!, id, ct);
                }
            }, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Marks the link used and reads who it belongs to, with their current roles; null when it cannot be used.</summary>
    private static async Task<TokenSubject?> SpendAsync(NpgsqlTransaction tx, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE login_links SET used_at = @now
            WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now
            RETURNING volunteer_id
            """;
        Guid volunteerId;
        await using (var spend = new NpgsqlCommand(sql, tx.Connection, tx))
        {
            spend.Parameters.AddWithValue("hash", hash);
            spend.Parameters.AddWithValue("now", now);
            if (await spend.ExecuteScalarAsync(cancellationToken) is not Guid id)
            {
                return null;
            }

            volunteerId = id;
        }

        return await LoadSubjectAsync(tx, volunteerId, cancellationToken);
    }

    internal static async Task<TokenSubject?> LoadSubjectAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT v.name, v.is_platform_admin, o.slug, m.role
            FROM volunteers v
            LEFT JOIN memberships m ON m.volunteer_id = v.id
            LEFT JOIN organisations o ON o.id = m.org_id
            WHERE v.id = @id
            ORDER BY o.slug
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("id", volunteerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? name = null;
        var admin = false;
        var memberships = new List<(string Org, string Role)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            name = reader.GetString(0);
            admin = reader.GetBoolean(1);
            if (!reader.IsDBNull(2))
            {
                memberships.Add((reader.GetString(2), reader.GetString(3)));
            }
        }

        return name is null ? null : new TokenSubject(volunteerId, name, memberships, admin);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A spent refresh token was presented again; its session {FamilyId} is revoked")]
    private static partial void LogReuse(ILogger logger, Guid familyId);
}
