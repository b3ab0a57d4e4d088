using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Shifts.Web.Api;

namespace Shifts.Web.Session;

/// <summary>
/// Keeps a session's access token fresh, before the page that needs it runs. A token with less than
/// <see cref="Margin"/> left is exchanged for the next pair and the cookie rewritten.
/// </summary>
/// <remarks>
/// The API spends a refresh token on use. Two requests of one browser that arrive together with the
/// same cookie (two tabs, a prefetch) must not both spend it: on one replica they share one refresh
/// (<see cref="_inFlight"/>, kept for <see cref="Shared"/>, so a request that arrives a moment later
/// with the old cookie gets the same new pair); across replicas the API refuses the second with 409
/// <c>refresh-token-superseded</c> without ending the session, and the request goes on with its access
/// token while it is still valid: the browser already has the new cookie from the first answer.
/// </remarks>
public sealed class SessionRefresh(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SessionRefresh> logger)
{
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Shared = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiResult<TokenPair>>>> _inFlight = new(StringComparer.Ordinal);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsAsset(context.Request.Path) || SessionTokens.From(context.Properties) is not { } tokens)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (tokens.ExpiresAt - now > Margin)
        {
            return;
        }

        var result = await RefreshAsync(tokens.RefreshToken);
        if (result.Ok && result.Value is { } pair)
        {
            new SessionTokens(pair.AccessToken, pair.RefreshToken, now.AddSeconds(pair.ExpiresIn)).WriteTo(context.Properties);
            context.ShouldRenew = true;
            return;
        }

        var problem = result.Problem!;
        var stillValid = tokens.ExpiresAt > now;
        if (problem.Code == ApiProblem.Unavailable || problem.Code == "refresh-token-superseded" || problem.Code == "rate-limited")
        {
            if (stillValid)
            {
                return;
            }

            logger.LogInformation("A session's access token expired and could not be renewed now ({Code})", problem.Code);
            if (problem.Code == ApiProblem.Unavailable)
            {
                // The API is away: keep the cookie; the page says the service is unavailable.
                return;
            }
        }

        // Revoked, expired, or the person was erased or logged out elsewhere: the session is over.
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// Drops the shared refresh that spent <paramref name="refreshToken"/> or handed it out (logout):
    /// a request with an older copy of the cookie then goes to the API, which refuses it.
    /// </summary>
    public void Forget(string refreshToken)
    {
        foreach (var (key, refresh) in _inFlight)
        {
            if (key == refreshToken
                || refresh.IsValueCreated && refresh.Value.IsCompletedSuccessfully && refresh.Value.Result.Value?.RefreshToken == refreshToken)
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }

    private Task<ApiResult<TokenPair>> RefreshAsync(string refreshToken)
    {
        var lazy = _inFlight.GetOrAdd(refreshToken, token => new Lazy<Task<ApiResult<TokenPair>>>(() => CallAsync(token)));
        return lazy.Value;
    }

    private async Task<ApiResult<TokenPair>> CallAsync(string refreshToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ShiftsApi>().RefreshAsync(refreshToken, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or TimeoutException)
        {
            logger.LogWarning(ex, "The session refresh could not reach the gateway");
            return ApiResult<TokenPair>.Failure(new ApiProblem(503, ApiProblem.Unavailable, null, default));
        }
        finally
        {
            _ = ForgetLaterAsync(refreshToken);
        }
    }

    private async Task ForgetLaterAsync(string refreshToken)
    {
        await Task.Delay(Shared, clock);
        _inFlight.TryRemove(refreshToken, out _);
    }

    /// <summary>Static files need no session: they must not refresh it (a page and its stylesheet arrive together).</summary>
    private static bool IsAsset(PathString path) =>
        path.StartsWithSegments("/_framework", StringComparison.Ordinal)
        || path.StartsWithSegments("/css", StringComparison.Ordinal)
        || path.StartsWithSegments("/img", StringComparison.Ordinal)
        || path.StartsWithSegments("/health", StringComparison.Ordinal)
        || Path.HasExtension(path.Value) && !path.Value!.EndsWith(".ics", StringComparison.OrdinalIgnoreCase);
}
