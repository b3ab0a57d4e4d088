using System.Buffers.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;

namespace Shifts.Volunteers.Tokens;

public sealed record PublicKey(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

public sealed record KeySet(IReadOnlyList<PublicKey> Keys);

public sealed record OpenIdMetadata(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms);

/// <summary>
/// The public keys (RFC 7517) and the OpenID discovery document that points at them. The other
/// services set <c>Auth:Authority</c> to this service's base address; JwtBearer reads
/// <c>{Authority}/.well-known/openid-configuration</c>, then its <c>jwks_uri</c>, and re-reads it
/// when a token names an unknown kid (a rotated key).
/// </summary>
public static class KeysEndpoints
{
    public static IEndpointRouteBuilder MapSigningKeys(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Keys");
        wellKnown.MapGet("/jwks.json", GetKeySet)
            .WithSummary("The public keys that validate access tokens (RFC 7517 JSON Web Key Set)");
        wellKnown.MapGet("/openid-configuration", GetMetadata)
            .WithSummary("The OpenID discovery document: the issuer and where its keys are");
        return app;
    }

    private static Ok<KeySet> GetKeySet(SigningKeys keys, HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new KeySet(keys.Published.Select(key =>
        {
            var q = key.ECDsa.ExportParameters(includePrivateParameters: false).Q;
            return new PublicKey("EC", JsonWebKeyECTypes.P256, Base64Url.EncodeToString(q.X), Base64Url.EncodeToString(q.Y), key.KeyId, "sig", ShiftsClaims.Algorithm);
        }).ToList()));
    }

    /// <summary>The key set's address as the caller reached us (loopback in a dev run, a cluster name in Kubernetes).</summary>
    private static Ok<OpenIdMetadata> GetMetadata(HttpRequest request) =>
        TypedResults.Ok(new OpenIdMetadata(
            ShiftsClaims.Issuer,
            $"{request.Scheme}://{request.Host}{request.PathBase}/.well-known/jwks.json",
            [ShiftsClaims.Algorithm]));
}
