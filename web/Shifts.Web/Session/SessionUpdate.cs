using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using Shifts.Web.Localization;

namespace Shifts.Web.Session;

/// <summary>
/// Changes to a session that is already open: the name and language it carries follow a saved
/// profile, and it ends after the person erased themselves or left their last organisation.
/// </summary>
public static class SessionUpdate
{
    /// <summary>
    /// Writes the session cookie anew with the person's name and language, keeping its tokens (the
    /// header greets by name, and the language comes from the session when no switcher cookie
    /// overrides it; that cookie is set to the new language too, so the choice made in the profile
    /// wins over an older one made with the switcher).
    /// </summary>
    public static async Task FollowProfileAsync(HttpContext context, string name, string locale)
    {
        ArgumentNullException.ThrowIfNull(context);
        var current = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!current.Succeeded || current.Principal is null || current.Properties is null)
        {
            return;
        }

        var claims = current.Principal.Claims
            .Where(c => c.Type is not (ClaimTypes.Name or ClaimTypes.Locality))
            .Append(new Claim(ClaimTypes.Name, name))
            .Append(new Claim(ClaimTypes.Locality, locale));
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        // The properties hold the tokens (refreshed before this page ran, if they were due); issued
        // and expiry start again as they would on the cookie's sliding renewal.
        var properties = current.Properties;
        properties.IssuedUtc = null;
        properties.ExpiresUtc = null;
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        context.User = new ClaimsPrincipal(identity);

        context.Response.Cookies.Append(LocalizationSetup.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(locale)), new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });
    }

    /// <summary>
    /// Ends the session here only: the API has ended it already (an erased person's tokens are
    /// refused everywhere, and leaving the last organisation revokes every refresh token).
    /// </summary>
    public static async Task EndAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
    }
}
