using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shifts.Testing;

/// <summary>
/// Mints Shifts access tokens with a key of the test's own. A service under test trusts it through
/// <c>Auth:PublicKeys</c> (<see cref="PublicJwks"/>) — the same configuration a deployment uses for a
/// static key set — so no backdoor exists in the service.
/// </summary>
public sealed class TestTokens : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsaSecurityKey _securityKey;

    public TestTokens(string keyId = "test-key")
    {
        _securityKey = new ECDsaSecurityKey(_key) { KeyId = keyId };
    }

    /// <summary>The public half as a JSON Web Key Set, for <c>Auth:PublicKeys</c>.</summary>
    public string PublicJwks
    {
        get
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(false))) { KeyId = _securityKey.KeyId });
            return JsonSerializer.Serialize(new
            {
                keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = "ES256" } },
            });
        }
    }

    /// <param name="memberships">"org:role" pairs, e.g. ("kv-mitte-ost", "coordinator").</param>
    public string Mint(Guid volunteerId, string name, IEnumerable<(string Org, string Role)>? memberships = null, bool platformAdmin = false, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = volunteerId.ToString(),
            ["name"] = name,
            ["mem"] = (memberships ?? []).Select(m => $"{m.Org}:{m.Role}").ToArray(),
        };
        if (platformAdmin)
        {
            claims["padm"] = "true";
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "shifts",
            Audience = "shifts",
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromMinutes(30)),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_securityKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public void Dispose() => _key.Dispose();
}
