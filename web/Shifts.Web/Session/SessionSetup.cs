using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Shifts.Web.Api;

namespace Shifts.Web.Session;

/// <summary>
/// The web app's session: one cookie, <c>__Host-shifts</c>, HttpOnly, SameSite=Lax, Secure, whose
/// content (the person's id, name and language, and their API tokens) is encrypted and signed with the
/// shared key ring (<see cref="KeyRing"/>). The browser never sees a token. The access token lives
/// minutes; before a page runs, a token about to expire is exchanged for the next pair
/// (<see cref="SessionRefresh"/>) and the cookie is written anew.
/// </summary>
/// <remarks>
/// <c>__Host-</c> makes the browser refuse the cookie unless it is Secure, for the whole site and set
/// by this host alone (no Domain): no sibling subdomain can plant or read it. Over plain HTTP (loopback,
/// `./shifts up`) the cookie is called <c>shifts</c> and is not Secure (<see cref="SessionCookieManager"/>).
/// </remarks>
public static class SessionSetup
{
    public const string CookieName = "__Host-shifts";
    /// <summary>
    /// The antiforgery cookie, Secure over HTTPS. It needs no prefix: for a signed-in person the form
    /// token is bound to their identity, so a cookie planted from elsewhere does not make a forged form pass.
    /// </summary>
    public const string AntiforgeryCookieName = "shifts-af";

    /// <summary>How long a session cookie is kept without a visit; the API's refresh token lifetime bounds it too.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromDays(30);

    public static void AddShiftsSession(this IHostApplicationBuilder builder)
    {
        // The host the browser asked for, as the gateway forwards it (X-Forwarded-Host, believed from
        // Network:TrustedProxies only, like -For and -Proto). Without it every absolute address the app
        // makes (the redirect after the login button, the cookie handler's redirect to /login) names the
        // web replica's own address behind the gateway, which the browser cannot reach.
        builder.Services.PostConfigure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(options =>
            options.ForwardedHeaders |= Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost);
        builder.AddShiftsKeyRing();
        builder.Services.AddSingleton<SessionRefresh>();
        builder.Services.AddScoped<CurrentPerson>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Secure and __Host- over HTTPS, plain over loopback HTTP (SessionCookieManager).
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.CookieManager = new SessionCookieManager();
                options.Cookie.Path = "/";
                options.ExpireTimeSpan = IdleLifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/";
                options.ReturnUrlParameter = "returnUrl";
                options.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionRefresh>().ValidateAsync(context);
            });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
    }

    /// <summary>Opens the session after the API accepted a login (or confirmation) token: the cookie holds the pair.</summary>
    public static async Task SignInAsync(HttpContext context, TokenPair pair, Me me)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(me);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, me.Id.ToString()),
                new Claim(ClaimTypes.Name, me.Name),
                new Claim(ClaimTypes.Locality, me.Locale),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { IsPersistent = true };
        new SessionTokens(pair.AccessToken, pair.RefreshToken, DateTimeOffset.UtcNow.AddSeconds(pair.ExpiresIn)).WriteTo(properties);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        // The rest of this request (the page that follows a form post) acts as the person already.
        context.User = new ClaimsPrincipal(identity);
    }

    /// <summary>Ends the session here and at the API (its refresh token is revoked), then sends the browser home.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", async (HttpContext context, ShiftsApi api, IAntiforgery antiforgery, SessionRefresh refresh) =>
        {
            var result = await context.AuthenticateAsync();
            if (!result.Succeeded)
            {
                // Nothing to end (the session ran out in the meantime): home, as after a logout.
                return Results.LocalRedirect("/?loggedOut=1");
            }

            // The form's antiforgery token is checked here: the framework checks it by itself only
            // for endpoints that bind form fields, and this one binds none. Without the check any
            // site could log a person out with a form of its own.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            if (SessionTokens.From(result.Properties) is { } tokens)
            {
                // The cookie goes either way; a failed revocation leaves a token nobody holds any more.
                await api.LogoutAsync(tokens.RefreshToken, context.RequestAborted);
                // A copy of an older cookie must not be handed this session's newest pair any more.
                refresh.Forget(tokens.RefreshToken);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/?loggedOut=1");
        });
    }
}
