using Microsoft.AspNetCore.Authentication.Cookies;

namespace Shifts.Web.Session;

/// <summary>
/// Names the session cookie by the scheme the browser used: <c>__Host-shifts</c> (Secure) over HTTPS,
/// as in every real deployment behind TLS; plain <c>shifts</c> over HTTP, where a browser would refuse
/// a <c>__Host-</c> cookie (it must be Secure) and a Secure one is not sent back. Plain HTTP is what
/// `./shifts up` and the tests run on loopback. The scheme is the one the gateway forwards
/// (X-Forwarded-Proto from a trusted proxy), so TLS ended at an ingress still counts as HTTPS.
/// </summary>
public sealed class SessionCookieManager : ICookieManager
{
    private readonly ChunkingCookieManager _inner = new();

    public string? GetRequestCookie(HttpContext context, string key) => _inner.GetRequestCookie(context, NameFor(context, key));

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Secure = context.Request.IsHttps;
        _inner.AppendResponseCookie(context, NameFor(context, key), value, options);
    }

    public void DeleteCookie(HttpContext context, string key, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Secure = context.Request.IsHttps;
        _inner.DeleteCookie(context, NameFor(context, key), options);
    }

    private static string NameFor(HttpContext context, string key) =>
        context.Request.IsHttps || !key.StartsWith("__Host-", StringComparison.Ordinal) ? key : key["__Host-".Length..];
}
