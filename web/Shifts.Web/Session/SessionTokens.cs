using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace Shifts.Web.Session;

/// <summary>
/// The tokens a session cookie carries (inside the encrypted ticket): the access token for API calls,
/// the refresh token that gets the next one, and when the access token expires.
/// </summary>
public sealed record SessionTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    private const string Access = "access_token";
    private const string Refresh = "refresh_token";
    private const string Expires = "expires_at";

    public static SessionTokens? From(AuthenticationProperties? properties)
    {
        var access = properties?.GetTokenValue(Access);
        var refresh = properties?.GetTokenValue(Refresh);
        var expires = properties?.GetTokenValue(Expires);
        return access is null || refresh is null || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? null
            : new SessionTokens(access, refresh, at);
    }

    public void WriteTo(AuthenticationProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = Access, Value = AccessToken },
            new AuthenticationToken { Name = Refresh, Value = RefreshToken },
            new AuthenticationToken { Name = Expires, Value = ExpiresAt.ToString("O", CultureInfo.InvariantCulture) },
        ]);
    }
}
