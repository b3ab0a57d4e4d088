using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Shifts.Gateway;

/// <summary>
/// The browser-facing headers on every answer of the public origin: the gateway's own (the web
/// app, problem responses, 404s) and the services' behind it alike, set just before the headers
/// go out. The policy is what a server-rendered web app of our own can live with: scripts, styles
/// and fonts from this origin only, forms posting to it, no framing, no plugins.
/// HSTS only over TLS (directly, or as a trusted proxy's X-Forwarded-Proto says): a browser told
/// so over plain HTTP would lock a test installation out of itself.
/// </summary>
public static partial class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string ApiReferencePath = "/api/docs";

    private const string PolicyItem = "Shifts.SecurityHeaders.Policy";

    /// <summary>
    /// The API reference (Scalar, all from its package: no CDN; its CDN fonts are switched off in
    /// Program.cs) starts itself with one inline module script and styles its components inline.
    /// Its page alone may therefore run that one script, named by its hash, and inline styles;
    /// everything still comes from this origin only.
    /// </summary>
    public static string ApiReferencePolicy(IEnumerable<string> inlineScriptHashes) =>
        $"default-src 'self'; script-src 'self'{string.Concat(inlineScriptHashes.Select(h => $" 'sha256-{h}'"))}; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Items[PolicyItem] as string ?? ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Login links carry their token in the URL: no page may pass its address on.
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            // A service's own, should one ever send it: the public origin names no software.
            headers.Remove("Server");
            return Task.CompletedTask;
        });

        if (!IsReferencePage(context.Request))
        {
            await next(context);
            return;
        }

        // The reference page is small: hold it back, hash its inline scripts, then send it.
        var original = context.Response.Body;
        using var page = new MemoryStream();
        context.Response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        context.Items[PolicyItem] = ApiReferencePolicy(InlineScriptHashes(Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length)));
        page.Position = 0;
        await page.CopyToAsync(original, context.RequestAborted);
    });

    /// <summary>Base64 SHA-256 of the text of each script element without src, as CSP hashes it.</summary>
    public static IEnumerable<string> InlineScriptHashes(string html) =>
        InlineScript().Matches(html).Select(m => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))).ToList();

    private static bool IsReferencePage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Path.Equals(ApiReferencePath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(ApiReferencePath + "/", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(ApiReferencePath + "/index.html", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
