using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Shifts.Gateway;

/// <summary>
/// Gives every request an <c>X-Request-Id</c>: the caller's when it is a sane token, otherwise a
/// new one. It travels to the service (which puts it into problem details and logs) and back to
/// the caller, so a user's report of an error can be found in the logs.
/// </summary>
public static partial class RequestIds
{
    public const string Header = "X-Request-Id";

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = SaneId().IsMatch(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
        context.Request.Headers[Header] = id;
        context.TraceIdentifier = id;
        // On the request's span, so the dashboard finds a request's trace by the id its caller saw.
        Activity.Current?.SetTag("shifts.request_id", id);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        await next(context);
    });

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex SaneId();
}
