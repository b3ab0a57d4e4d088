namespace Shifts.Gateway;

/// <summary>
/// The browser-facing headers on every answer of the public origin: the gateway's own (the web
/// app, problem responses, 404s) and the services' behind it alike, set just before the headers
/// go out. The policy is what a server-rendered web app of our own can live with: scripts, styles
/// and fonts from this origin only, forms posting to it, no framing, no plugins.
/// HSTS only over TLS (directly, or as a trusted proxy's X-Forwarded-Proto says): a browser told
/// so over plain HTTP would lock a test installation out of itself.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The API reference (Scalar, from its package: no CDN) starts itself with an inline module
    /// script and styles its components inline, so its pages alone may run inline script and style;
    /// everything still comes from this origin only.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string ApiReferencePath = "/api/docs";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReferencePath, StringComparison.OrdinalIgnoreCase)
                ? ApiReferencePolicy
                : ContentSecurityPolicy;
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
        return next(context);
    });
}
