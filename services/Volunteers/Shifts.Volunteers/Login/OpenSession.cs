using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

public sealed record SessionRequest(string? Token);

/// <summary>
/// A login link's token exchanged for a session. One conditional UPDATE spends the link, so it
/// works once however many requests race for it, and not after its 15 minutes.
/// </summary>
internal static class OpenSession
{
    public static async Task<Results<Ok<Session>, ProblemHttpResult>> HandleAsync(
        SessionRequest request,
        HttpContext context,
        RateLimits limits,
        Transactions transactions,
        AccessTokens tokens,
        IOptions<TokenSettings> settings,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (SessionsEndpoints.CheckToken("token", request.Token, "'token' is required: the token from the login link.") is { } invalid)
        {
            return invalid;
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = LoginLinks.HashOf(request.Token!.Trim());
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

        return TypedResults.Ok(Session.Of(tokens, opened.Subject, opened.RefreshToken));
    }

    /// <summary>Marks the link used and reads who it belongs to, with their current roles; null when it cannot be used.</summary>
    private static async Task<TokenSubject?> SpendAsync(NpgsqlTransaction tx, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var volunteerId = await tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE login_links SET used_at = @now
            WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now
            RETURNING volunteer_id
            """, new { hash, now }, tx, cancellationToken: cancellationToken));
        return volunteerId is { } id ? await TokenSubjects.LoadAsync(tx, id, cancellationToken) : null;
    }

    private sealed record Opened(TokenSubject Subject, string RefreshToken);
}
