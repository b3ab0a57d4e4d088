using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

public sealed record SessionRequest(string? Token);

public sealed record Session(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>
/// Passwordless login, step two: the token from the mailed link is exchanged for an access token.
/// One conditional UPDATE spends the link, so it works once however many requests race for it,
/// and not after its 15 minutes.
/// </summary>
public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/sessions", CreateSession);
        return app;
    }

    private static async Task<Results<Ok<Session>, ProblemHttpResult>> CreateSession(
        SessionRequest request,
        HttpContext context,
        RateLimits limits,
        Transactions transactions,
        AccessTokens tokens,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Problem.Validation("token", "'token' is required: the token from the login link.");
        }

        if (request.Token.Length > 200)
        {
            return Problem.Validation("token", "'token' may be at most 200 characters long.");
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = LoginLinks.HashOf(request.Token.Trim());
        var subject = hash is null ? null : await transactions.RunAsync((tx, ct) => SpendAsync(tx, hash, time.GetUtcNow(), ct), cancellationToken);
        if (subject is null)
        {
            // One answer for unknown, used and expired links: none of them says more than the others.
            return Problem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Unauthenticated",
                "This login link is invalid, used or expired. Ask for a new one.");
        }

        var accessToken = tokens.Issue(subject);
        return TypedResults.Ok(new Session(accessToken, "Bearer", (int)tokens.Lifetime.TotalSeconds));
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
}
