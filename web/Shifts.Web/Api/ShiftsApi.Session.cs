namespace Shifts.Web.Api;

// Logging in and out, and the person and organisations every page header shows.
public sealed partial class ShiftsApi
{
    public Task<ApiResult<bool>> RequestLoginLinkAsync(string email, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/api/auth/login-links", new { email }, ct, anonymous: true);

    public Task<ApiResult<TokenPair>> OpenSessionAsync(string token, CancellationToken ct = default) =>
        PostAsync<TokenPair>("/api/auth/sessions", new { token }, ct, anonymous: true);

    public Task<ApiResult<TokenPair>> RefreshAsync(string refreshToken, CancellationToken ct = default) =>
        PostAsync<TokenPair>("/api/auth/refresh", new { refreshToken }, ct, anonymous: true);

    public Task<ApiResult<bool>> LogoutAsync(string refreshToken, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/api/auth/logout", new { refreshToken }, ct);

    public Task<ApiResult<Me>> MeAsync(CancellationToken ct = default) => GetAsync<Me>("/api/me", ct);

    public Task<ApiResult<Organisation>> OrganisationAsync(string org, CancellationToken ct = default) =>
        GetAsync<Organisation>($"/api/orgs/{Uri.EscapeDataString(org)}", ct);
}

public sealed partial class ShiftsApi
{
    /// <summary>The person behind a token just handed out, before any cookie holds it (login, confirmation).</summary>
    public Task<ApiResult<Me>> MeAsync(string accessToken, CancellationToken ct = default) =>
        SendAsync<Me>(HttpMethod.Get, "/api/me", null, new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken }, ct, anonymous: true);
}
