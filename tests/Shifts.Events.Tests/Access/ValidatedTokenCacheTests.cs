using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Auth;
using Shifts.Testing;
using Xunit;

namespace Shifts.Events.Tests.Access;

/// <summary>The JWT handler every service and the gateway use remembers valid tokens, and nothing else, until they expire.</summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly ValidatedTokenCache _handler = new(TimeProvider.System) { MapInboundClaims = false };

    private TokenValidationParameters Parameters => new()
    {
        ValidIssuer = ShiftsClaims.Issuer,
        ValidAudience = ShiftsClaims.Audience,
        ValidAlgorithms = [ShiftsClaims.Algorithm],
        IssuerSigningKeys = new JsonWebKeySet(_tokens.PublicJwks).GetSigningKeys(),
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task A_repeated_token_is_valid_again_with_an_identity_of_its_own()
    {
        var token = _tokens.Mint(Guid.NewGuid(), "Hana", [("kv-mitte-ost", "helper")]);

        var first = await _handler.ValidateTokenAsync(token, Parameters);
        first.ClaimsIdentity.AddClaim(new Claim("added-by-one-request", "x"));
        var second = await _handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _handler.Count);
        Assert.Same(first.SecurityToken, second.SecurityToken); // the second answer is the remembered one
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("Hana", second.ClaimsIdentity.FindFirst("name")?.Value);
        Assert.Null(second.ClaimsIdentity.FindFirst("added-by-one-request"));
    }

    [Fact]
    public async Task A_token_is_remembered_only_until_it_expires()
    {
        var token = _tokens.Mint(Guid.NewGuid(), "Ben", lifetime: TimeSpan.FromSeconds(60), now: DateTimeOffset.UtcNow.AddSeconds(-58));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters)).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(3));

        var later = await _handler.ValidateTokenAsync(token, Parameters);
        Assert.False(later.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(later.Exception);
        Assert.Equal(0, _handler.Count);
    }

    [Fact]
    public async Task An_invalid_token_is_never_remembered()
    {
        var token = _tokens.Mint(Guid.NewGuid(), "Mallory");
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using var otherKey = new TestTokens("other-key");
        var foreign = otherKey.Mint(Guid.NewGuid(), "Mallory");

        Assert.False((await _handler.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await _handler.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await _handler.ValidateTokenAsync(foreign, Parameters)).IsValid);
        Assert.Equal(0, _handler.Count);
    }

    [Fact]
    public async Task A_remembered_token_stops_counting_once_its_signing_key_is_withdrawn()
    {
        var token = _tokens.Mint(Guid.NewGuid(), "Carla");
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters)).IsValid);

        using var otherKey = new TestTokens("other-key");
        var withdrawn = Parameters;
        withdrawn.IssuerSigningKeys = new JsonWebKeySet(otherKey.PublicJwks).GetSigningKeys();
        var afterWithdrawal = await _handler.ValidateTokenAsync(token, withdrawn);

        Assert.False(afterWithdrawal.IsValid);
        Assert.IsAssignableFrom<SecurityTokenSignatureKeyNotFoundException>(afterWithdrawal.Exception);
        Assert.Equal(0, _handler.Count);
        // The same key id published again with the key itself counts again.
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters)).IsValid);
    }

    [Fact]
    public async Task A_remembered_token_counts_through_a_resolver_that_still_knows_its_key()
    {
        var token = _tokens.Mint(Guid.NewGuid(), "Dana");
        var keys = new JsonWebKeySet(_tokens.PublicJwks).GetSigningKeys();
        var current = keys;
        var parameters = Parameters;
        parameters.IssuerSigningKeys = null;
        parameters.IssuerSigningKeyResolver = (_, _, kid, _) => current.Where(k => k.KeyId == kid);

        var first = await _handler.ValidateTokenAsync(token, parameters);
        // A reloaded key set: new objects for the same key.
        current = new JsonWebKeySet(_tokens.PublicJwks).GetSigningKeys();
        var second = await _handler.ValidateTokenAsync(token, parameters);
        current = [];
        var third = await _handler.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.False(third.IsValid);
    }

    public void Dispose() => _tokens.Dispose();
}
