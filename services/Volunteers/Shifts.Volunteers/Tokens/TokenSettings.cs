namespace Shifts.Volunteers.Tokens;

/// <summary>The <c>Auth</c> section as far as issuing tokens goes.</summary>
public sealed class TokenSettings
{
    /// <summary>
    /// How long an access token is valid. Short, because a token cannot be called back: it is what
    /// a revoked session (logout, erasure, removal) can still do. Clients refresh before it ends.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a refresh token is valid; each refresh issues a new one, so a session lives while it is used.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The absolute limit of a session (a refresh-token family) from its login, however often it is refreshed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long after its use a spent refresh token is only refused (409), not taken as stolen (see RefreshTokens).</summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PEM EC P-256 private key (production). Without it a key is generated once and kept in the database.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How often each replica re-reads the published keys (and, without a configured key, the current one).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
