using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Shifts.Testing;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>What the service accepts as a login, and how other services find its keys.</summary>
[Collection(nameof(VolunteersCollection))]
public sealed class AccessTokenTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task The_key_set_lists_EC_P256_public_keys_only()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync("/.well-known/jwks.json");

        var set = await Problems.JsonAsync(response, HttpStatusCode.OK);
        var key = Assert.Single(set.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private part is never published");
        Assert.Equal(43, key.GetProperty("kid").GetString()!.Length); // base64url SHA-256 thumbprint (RFC 7638)
    }

    [Fact]
    public async Task Other_services_find_the_keys_through_the_OpenID_metadata_at_the_address_they_use()
    {
        // What JwtBearer does with Auth:Authority = this service's base address.
        var metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(fixture.Address, "/.well-known/openid-configuration").ToString(),
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false });

        var configuration = await metadata.GetConfigurationAsync(CancellationToken.None);

        Assert.Equal("shifts", configuration.Issuer);
        Assert.Equal(new Uri(fixture.Address, "/.well-known/jwks.json").ToString(), configuration.JwksUri);
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await fixture.AdminTokenAsync());
        Assert.Contains(configuration.SigningKeys, k => k.KeyId == jwt.Kid);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_gets_401()
    {
        using var stranger = new TestTokens("stranger");
        using var client = fixture.Client(stranger.Mint(Guid.NewGuid(), "Mallory", platformAdmin: true));

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
        // Even where anonymous callers are welcome, a bad token is not quietly "anonymous".
        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/orgs/some-org"));
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var token = fixture.Tokens.Mint(Guid.NewGuid(), "Late", lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1));
        using var client = fixture.Client(token);

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
    }

    [Fact]
    public async Task An_unsigned_token_gets_401()
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
        var unsigned = $"{Part(new { alg = "none", typ = "JWT" })}.{Part(new { sub = Guid.NewGuid().ToString(), iss = "shifts", aud = "shifts", padm = "true", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() })}.";
        using var client = fixture.Client(unsigned);

        await Problems.AssertUnauthenticatedAsync(await client.PostAsJsonAsync("/api/orgs", new { slug = "evil", name = "Evil", timeZone = "Europe/Berlin" }));
    }

    [Fact]
    public async Task A_token_whose_claims_were_changed_after_signing_gets_401()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.AddMemberAsync(org);
        var real = await fixture.LoginAsync(helper.Email);
        var parts = real.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["mem"] = JsonSerializer.SerializeToElement(new[] { $"{org}:admin" });
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";
        using var client = fixture.Client(tampered);

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync($"/api/orgs/{org}/members"));
    }

    [Fact]
    public async Task A_token_signed_with_a_shared_secret_instead_of_ES256_gets_401()
    {
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        var body = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("{\"sub\":\"x\",\"aud\":\"shifts\",\"iss\":\"shifts\"}"));
        using var client = fixture.Client($"{header}.{body}.c2lnbmF0dXJl");

        await Problems.AssertUnauthenticatedAsync(await client.GetAsync("/api/me"));
    }
}
