namespace Shifts.Volunteers.Tokens;

/// <summary>The <c>Auth</c> section as far as issuing tokens goes.</summary>
public sealed class TokenSettings
{
    /// <summary>
    /// How long an access token is valid. There are no refresh tokens in the API: when it runs
    /// out, the person asks for a new login link. Eight hours covers a day of coordinating.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A PEM EC P-256 private key (production). Without it a key is generated once and kept in the database.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How often each replica re-reads the published keys (and, without a configured key, the current one).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
