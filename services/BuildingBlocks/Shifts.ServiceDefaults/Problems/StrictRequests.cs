using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Shifts.ServiceDefaults.Json;

namespace Shifts.ServiceDefaults.Problems;

/// <summary>
/// What every request must be before an endpoint sees it, answered as problem+json:
/// a request target of at most 8 KB (else 414), headers of at most 32 KB and 100 fields (else 431)
/// whose values are ASCII (else 400), no body where the endpoint takes none, and no NUL or unpaired surrogate in any query parameter or route value (else 400 <c>validation</c>
/// naming the parameter; PostgreSQL would refuse the NUL with a 500).
/// </summary>
/// <remarks>
/// Kestrel answers requests over its own limits itself, with an empty body and no way for the
/// application to write one (its HttpProtocol.SetErrorResponseHeaders sets Content-Length: 0).
/// So Kestrel's limits are raised above ours, and such requests reach this middleware instead.
/// What Kestrel still answers alone (a %00 in the path, a malformed header line, raw non-ASCII in
/// the request line) is rejected while parsing, before any application code runs.
/// </remarks>
public static class StrictRequests
{
    public const int MaxRequestTarget = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    public static IServiceCollection AddStrictRequests(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 4 * MaxRequestTarget;
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = 2 * MaxHeaderCount;
        });

    /// <summary>Runs after routing (WebApplication routes first), so route values are known by name.</summary>
    public static IApplicationBuilder UseStrictRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if ((Check(context) ?? await CheckUnreadBodyAsync(context)) is { } problem)
        {
            context.Response.StatusCode = problem.Status!.Value;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
            });
            return;
        }

        await next(context);
    });

    private static Microsoft.AspNetCore.Mvc.ProblemDetails? Check(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > MaxRequestTarget)
        {
            return Create(StatusCodes.Status414UriTooLong, "request", $"The request target may be at most {MaxRequestTarget} characters long.");
        }

        var headers = context.Request.Headers;
        var headerBytes = 0L;
        foreach (var (name, values) in headers)
        {
            headerBytes += name.Length + 4;
            foreach (var value in values)
            {
                headerBytes += value?.Length ?? 0;
            }
        }

        if (headers.Count > MaxHeaderCount || headerBytes > MaxHeaderBytes)
        {
            return Create(StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers", $"The request may have at most {MaxHeaderCount} header fields of {MaxHeaderBytes} bytes in all.");
        }

        // RFC 9110 field values are visible ASCII, space and tab; Kestrel lets other bytes through
        // (decoded as UTF-8 or Latin-1), and a proxy's HttpClient then refuses to send them on (a 502).
        foreach (var (name, values) in headers)
        {
            if (values.Any(v => v is not null && v.Any(c => c is (< ' ' and not '\t') or > '~')))
            {
                return Create(StatusCodes.Status400BadRequest, name, $"The header '{name}' may hold only visible ASCII characters, spaces and tabs.");
            }
        }

        foreach (var (name, values) in context.Request.Query)
        {
            if (!StrictText.IsClean(name) || values.Any(v => v is not null && !StrictText.IsClean(v)))
            {
                var field = StrictText.IsClean(name) ? name : "query";
                return Create(StatusCodes.Status400BadRequest, field, $"'{field}' {StrictText.Rule}.");
            }
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && !StrictText.IsClean(text))
            {
                return Create(StatusCodes.Status400BadRequest, name, $"'{name}' {StrictText.Rule}.");
            }
        }

        return null;
    }

    /// <summary>
    /// An operation that takes no body ignores one: {"volunteerId": …} sent to POST …/claims would
    /// claim for the caller, not for whom it names. Said instead of ignored, like an unknown member
    /// (JsonSetup); a body that says nothing ("{}", "null") is let through. Only operations tell:
    /// handlers mapped for given methods (not the gateway's proxied routes, which pass bodies on to
    /// the service, nor its any-method 404 for /api).
    /// </summary>
    private static async Task<Microsoft.AspNetCore.Mvc.ProblemDetails?> CheckUnreadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody || context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is null
            || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 }
            || endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null)
        {
            return null;
        }

        const int Small = 16;
        if (request.ContentLength is null or <= Small)
        {
            var buffer = new byte[Small + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += n;
            }

            if (read <= Small && System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim() is "" or "{}" or "null")
            {
                return null;
            }
        }

        return Create(StatusCodes.Status400BadRequest, "body", "This operation takes no request body.");
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Create(int status, string field, string message)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = "The request is invalid.", Detail = message };
        problem.Extensions["code"] = ProblemCodes.Validation;
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }
}
