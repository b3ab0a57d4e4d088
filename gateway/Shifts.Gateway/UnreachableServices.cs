using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Shifts.ServiceDefaults.Problems;
using Yarp.ReverseProxy.Forwarder;

namespace Shifts.Gateway;

/// <summary>
/// A service that is not running (restarting, being deployed, crashed) refuses the connection:
/// nothing reached it, so the request is safe to repeat, and the gateway says so with 503 and
/// <c>Retry-After</c> like a service whose database is away, instead of YARP's bare 502. Other
/// proxy failures (the service died mid-request, a timeout) keep 502/504: their outcome is unknown.
/// </summary>
public static class UnreachableServices
{
    public static void UseUnreachableServicesAs503(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            var error = context.GetForwarderErrorFeature();
            if (error is null || context.Response.HasStarted || !IsUnreachable(error))
            {
                return;
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            if (context.GetReverseProxyFeature().Route.Config.ClusterId == GatewayRoutes.Web)
            {
                // A person's browser asked for a page: words, not JSON (no styles: they would come from the web app).
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(UnavailablePage);
                return;
            }

            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable.",
                Detail = "The service behind this path is not answering (it may be restarting); try again in a few seconds.",
            };
            problem.Extensions["code"] = ProblemCodes.Unavailable;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        });
    }

    private const string UnavailablePage = """
        <!DOCTYPE html>
        <html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shifts</title></head>
        <body><main>
        <h1>Shifts ist gleich wieder da</h1><p>Die Seite startet gerade neu. Bitte lade sie in ein paar Sekunden noch einmal.</p>
        <h2 lang="en">Shifts will be back in a moment</h2><p lang="en">The app is restarting. Please reload in a few seconds.</p>
        </main></body></html>
        """;

    private static bool IsUnreachable(IForwarderErrorFeature error)
    {
        if (error.Error == ForwarderError.NoAvailableDestinations)
        {
            return true;
        }

        for (var exception = error.Exception; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }
}
