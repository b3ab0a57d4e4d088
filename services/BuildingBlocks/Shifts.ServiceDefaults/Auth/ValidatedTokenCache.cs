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
/// the token's own expiry, without the clock skew a fresh check allows), a remembered token counts
/// only while the key that signed it is still among the keys the request's parameters name (a key
/// retired or withdrawn from the issuer's set ends its tokens at once, remembered or not), and
/// whether the person may still act is read per request from the service's own records
/// (ICallerDirectory), never from the cache. Each request gets its own copy of the identity, so
/// nothing one request adds is seen by another.
/// </para>
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>
    /// The helpers active in the same quarter of an hour of a large festival; beyond it, the cache
    /// starts over. A remembered token holds about 6 KB (the decoded token and its identity):
    /// 2,000 are 12 MB. The first limit, 20,000, would have been 120 MB, and the benchmark's
    /// 5,000 helpers raised the events service's peak memory from 279 to 344 MB.
    /// </summary>
    internal const int Capacity = 2_000;

    private readonly ConcurrentDictionary<string, Known> _valid = new(StringComparer.Ordinal);

    /// <summary>How many tokens are remembered now (for tests).</summary>
    public int Count => _valid.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (token is not null && _valid.TryGetValue(token, out var known))
        {
            if (known.Result.SecurityToken.ValidTo > now && StillSigned(token, known, validationParameters))
            {
                return Copy(known.Result);
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

            _valid[token] = new Known(result, securityToken.SigningKey);
            return Copy(result);
        }

        return result;
    }

    /// <summary>Whether the key that signed the token is still one the parameters accept (the resolver's, or the listed ones).</summary>
    private static bool StillSigned(string token, Known known, TokenValidationParameters parameters)
    {
        if (known.SigningKey is not { } signedWith)
        {
            return false;
        }

        var kid = (known.Result.SecurityToken as JsonWebToken)?.Kid;
        IEnumerable<SecurityKey> keys = parameters.IssuerSigningKeyResolver?.Invoke(token, known.Result.SecurityToken, kid, parameters) ?? [];
        keys = keys.Concat(parameters.IssuerSigningKeys ?? []);
        if (parameters.IssuerSigningKey is { } single)
        {
            keys = keys.Append(single);
        }

        return keys.Any(key => Same(key, signedWith));
    }

    private static bool Same(SecurityKey key, SecurityKey signedWith)
    {
        if (ReferenceEquals(key, signedWith))
        {
            return true;
        }

        if (!string.Equals(key.KeyId, signedWith.KeyId, StringComparison.Ordinal))
        {
            return false;
        }

        // The same key id could name another key (a set reloaded from configuration holds new objects): compare the keys themselves.
        return key.CanComputeJwkThumbprint() && signedWith.CanComputeJwkThumbprint()
            && key.ComputeJwkThumbprint().AsSpan().SequenceEqual(signedWith.ComputeJwkThumbprint());
    }

    private sealed record Known(TokenValidationResult Result, SecurityKey? SigningKey);

    private static TokenValidationResult Copy(TokenValidationResult known) => new()
    {
        IsValid = true,
        ClaimsIdentity = known.ClaimsIdentity.Clone(),
        SecurityToken = known.SecurityToken,
        Issuer = known.Issuer,
        TokenType = known.TokenType,
    };
}
