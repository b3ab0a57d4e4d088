using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// The JWT handler of every service and the gateway, remembering the tokens it found valid until
/// they expire. A request through the gateway had its token checked twice (ES256 signature,
/// issuer, audience, lifetime: in the gateway and again in the service), and a helper sends the
/// same token with every request for its lifetime; a repeated token is now one dictionary lookup.
/// <para>
/// What it does not change: a token is accepted only as long as it is unexpired (the entry ends at
/// the token's own expiry, without the clock skew a fresh check allows), and whether the person may
/// still act is read per request from the service's own records (ICallerDirectory), never from
/// the cache. What it does change: a signing key withdrawn from the issuer's key set stops counting
/// for a token already seen only when that token expires (Auth:AccessTokenLifetime, minutes).
/// Each request gets its own copy of the identity, so nothing one request adds is seen by another.
/// </para>
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>Enough for every helper of a large festival signed in at once; beyond it, the cache starts over.</summary>
    internal const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, TokenValidationResult> _valid = new(StringComparer.Ordinal);

    /// <summary>How many tokens are remembered now (for tests).</summary>
    public int Count => _valid.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (token is not null && _valid.TryGetValue(token, out var known))
        {
            if (known.SecurityToken.ValidTo > now)
            {
                return Copy(known);
            }

            _valid.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && token is not null && result.SecurityToken is { } securityToken && securityToken.ValidTo > now)
        {
            if (_valid.Count >= Capacity)
            {
                _valid.Clear();
            }

            _valid[token] = result;
            return Copy(result);
        }

        return result;
    }

    private static TokenValidationResult Copy(TokenValidationResult known) => new()
    {
        IsValid = true,
        ClaimsIdentity = known.ClaimsIdentity.Clone(),
        SecurityToken = known.SecurityToken,
        Issuer = known.Issuer,
        TokenType = known.TokenType,
    };
}
