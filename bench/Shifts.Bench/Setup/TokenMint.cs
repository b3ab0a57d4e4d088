using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shifts.Bench.Setup;

/// <summary>
/// Mints access tokens for thousands of helpers with the signing key the benchmark configured for
/// the volunteers service it started (Auth__SigningKey): the same ES256 JWTs the volunteers service
/// issues at login (issuer and audience "shifts", sub, name, one "org:role" per membership), so the
/// services need no backdoor. The kid is the one the volunteers service publishes for the key.
/// </summary>
public sealed class TokenMint(ECDsa key, string keyId)
{
    private readonly string _header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid = keyId, typ = "JWT" }));

    public string KeyId => keyId;

    /// <summary>Finds our key's kid in the volunteers service's JWKS (the key's RFC 7638 thumbprint).</summary>
    public static async Task<TokenMint> ForPublishedKeyAsync(ECDsa key, HttpClient volunteers)
    {
        var x = Base64Url(key.ExportParameters(false).Q.X!);
        using var jwks = JsonDocument.Parse(await volunteers.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
        foreach (var jwk in jwks.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (jwk.GetProperty("x").GetString() == x)
            {
                return new TokenMint(key, jwk.GetProperty("kid").GetString()!);
            }
        }

        throw new InvalidOperationException("The volunteers service does not publish the benchmark's signing key; was Auth__SigningKey set?");
    }

    public string Mint(Guid volunteerId, string name, IEnumerable<(string Org, string Role)> memberships, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = "shifts",
            ["aud"] = "shifts",
            ["sub"] = volunteerId.ToString(),
            ["name"] = name,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["mem"] = memberships.Select(m => $"{m.Org}:{m.Role}").ToArray(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(4)).TotalSeconds,
        };
        var signingInput = _header + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        // JWS ES256 wants the raw r||s signature (IEEE P1363), which is .NET's default format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
