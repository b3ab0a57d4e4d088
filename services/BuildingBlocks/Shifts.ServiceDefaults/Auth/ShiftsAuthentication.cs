using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// Validates Shifts access tokens: ES256 only (so "alg: none" and HMAC tricks fail), our issuer and
/// audience, a lifetime with 30 s of clock skew. Keys come from the volunteers service's JWKS
/// (<c>Auth:Authority</c>, its OpenID metadata; refreshed when an unknown kid appears, which is how
/// key rotation reaches every service) and/or from a static JWKS in <c>Auth:PublicKeys</c>.
/// </summary>
public static class ShiftsAuthentication
{
    public const string SignedIn = "signed-in";

    public static IHostApplicationBuilder AddShiftsAuthentication(this IHostApplicationBuilder builder, Func<IServiceProvider, IEnumerable<SecurityKey>>? localKeys = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var authority = builder.Configuration["Auth:Authority"];
        var publicKeys = builder.Configuration["Auth:PublicKeys"];
        IList<SecurityKey> staticKeys = [];
        if (!string.IsNullOrWhiteSpace(publicKeys))
        {
            try
            {
                staticKeys = new JsonWebKeySet(publicKeys).GetSigningKeys();
            }
            catch (ArgumentException ex)
            {
                ConfigurationProblems.Report(builder, $"Auth:PublicKeys is not a JSON Web Key Set: {ex.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(authority) && staticKeys.Count == 0 && localKeys is null)
        {
            ConfigurationProblems.Report(builder, "Neither Auth:Authority (the volunteers service's base address) nor Auth:PublicKeys is set: access tokens cannot be validated.");
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.RequireHttpsMetadata = false; // inside the cluster or on loopback; TLS ends at the ingress
                // The issuer itself (localKeys) knows its keys: it never fetches its own metadata.
                if (!string.IsNullOrWhiteSpace(authority) && localKeys is null)
                {
                    options.Authority = authority;
                    options.RefreshOnIssuerKeyNotFound = true;
                    options.Events = AuthorityOutage.Events();
                }

                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = ShiftsClaims.Issuer,
                    ValidAudience = ShiftsClaims.Audience,
                    ValidAlgorithms = [ShiftsClaims.Algorithm],
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = ShiftsClaims.Name,
                };
            });

        if (localKeys is not null || staticKeys.Count > 0)
        {
            // Keys this process knows without asking anyone: the volunteers service's own, or a static set.
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IServiceProvider>((options, services) =>
                {
                    options.TokenValidationParameters.IssuerSigningKeyResolver = (token, securityToken, kid, parameters) =>
                    {
                        // parameters.IssuerSigningKeys holds what the handler fetched from Auth:Authority's
                        // metadata, so static, own and published keys all count.
                        var known = staticKeys.Concat(localKeys?.Invoke(services) ?? []).Concat(parameters.IssuerSigningKeys ?? []).ToList();
                        // Only the key the token names: an unknown kid is then "key not found", which makes
                        // the handler refetch the metadata (RefreshOnIssuerKeyNotFound) — how rotation spreads.
                        return string.IsNullOrEmpty(kid) ? known : known.Where(k => k.KeyId == kid).ToList();
                    };
                });
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser().RequireClaim(ShiftsClaims.Subject));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped(services => Caller.From(services.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal()));
        return builder;
    }

    /// <summary>
    /// A request that carries a token must carry a valid one, even on endpoints that anonymous
    /// callers may use: an expired or forged token is a 401, never silently "anonymous".
    /// </summary>
    public static WebApplication UseShiftsAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization.Count > 0 && context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        return app;
    }
}
