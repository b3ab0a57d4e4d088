using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;

namespace Shifts.Web.Localization;

/// <summary>
/// German and English. The language is, in this order: the one chosen with the switcher (a cookie),
/// the signed-in person's own (their profile's locale, kept in the session), the browser's
/// Accept-Language, and German, the language of the organisations Shifts was first built for.
/// Strings live in resource files beside a marker type per area (Resources/Localization/*.resx).
/// </summary>
public static class LocalizationSetup
{
    public const string CookieName = "shifts-lang";
    public static readonly CultureInfo[] Cultures = [new("de"), new("en")];

    public static void AddShiftsLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("de");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CookieName },
                new CustomRequestCultureProvider(context => Task.FromResult(
                    context.User.FindFirstValue(ClaimTypes.Locality) is { Length: > 0 } locale ? new ProviderCultureResult(locale) : null)),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
    }

    /// <summary>The language switcher's form post: remembers the choice, tells the API for a signed-in person (mails follow it), goes back.</summary>
    public static void MapLanguageEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/language", async (HttpContext context, ShiftsApi api, [Microsoft.AspNetCore.Mvc.FromForm] string? lang, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var culture = Cultures.FirstOrDefault(c => c.Name == lang)?.Name ?? "de";
            context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
            {
                Path = "/",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            if (context.User.Identity?.IsAuthenticated == true)
            {
                // Best effort: the page switches either way; mails follow once the API has it.
                await api.PatchAsync<Me>("/api/me", new { locale = culture }, context.RequestAborted);
            }

            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });
    }

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

/// <summary>Marker for the app's shared strings (Resources/Localization/Text.resx, Text.de.resx).</summary>
public sealed class Text;

/// <summary>API problem codes in the person's words.</summary>
public static class ProblemText
{
    public static string Describe(this IStringLocalizer<Text> text, ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problem);
        var localized = text["problem." + problem.Code];
        return localized.ResourceNotFound ? text["problem.other"] : localized;
    }
}
