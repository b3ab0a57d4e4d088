using Shifts.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

/// <summary>Ends the session the refresh token belongs to, or with <c>everywhere</c> every session of the caller.</summary>
public sealed record LogoutRequest(string? RefreshToken, bool? Everywhere);

internal static class Logout
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
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

        if (refreshToken is { Length: > SessionsEndpoints.MaxTokenLength })
        {
            return Problem.Validation("refreshToken", $"'refreshToken' may be at most {SessionsEndpoints.MaxTokenLength} characters long.");
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
}
