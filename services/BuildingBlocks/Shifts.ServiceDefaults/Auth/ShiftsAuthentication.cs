using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Problems;

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

    private const string CallerKey = "shifts.caller";

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
                // One handler, remembering valid tokens until they expire (ValidatedTokenCache).
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokenCache(TimeProvider.System) { MapInboundClaims = false });
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
        builder.Services.AddScoped(services =>
        {
            var context = services.GetRequiredService<IHttpContextAccessor>().HttpContext;
            if (context?.Items[CallerKey] is Caller current)
            {
                return current;
            }

            // With a directory, the token's roles never count: a caller the middleware did not look
            // up (none outside a request) has none. Without one, the token is all there is.
            var principal = context?.User ?? new ClaimsPrincipal();
            return services.GetService<ICallerDirectory>() is null ? Caller.From(principal) : Caller.From(principal, CallerState.None);
        });
        return builder;
    }

    /// <summary>
    /// A request that carries a token must carry a valid one, even on endpoints that anonymous
    /// callers may use: an expired or forged token is a 401, never silently "anonymous". Then,
    /// where the service has an <see cref="ICallerDirectory"/>, the signed-in caller's current
    /// rights are read once per request (one primary-key lookup); a person who is gone (erased)
    /// gets 401 with every token they still hold.
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
        app.Use(async (context, next) =>
        {
            // Only for a request that reaches an endpoint: an unknown path stays a plain 404.
            if (context.GetEndpoint() is not null && Caller.SubjectOf(context.User) is { } id
                && context.RequestServices.GetService<ICallerDirectory>() is { } directory)
            {
                if (await directory.FindAsync(id, context.RequestAborted) is not { } state)
                {
                    await GoneAsync(context);
                    return;
                }

                context.Items[CallerKey] = Caller.From(context.User, state);
            }

            await next(context);
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>401 for a valid token of a person this service no longer knows, as problem details.</summary>
    private static async Task GoneAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The person no longer exists\"";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized",
            Detail = "The access token belongs to a person who no longer exists here (erased); sign in again.",
        };
        problem.Extensions["code"] = ProblemCodes.Unauthenticated;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
