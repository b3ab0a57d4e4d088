using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;

namespace Shifts.ServiceDefaults.Problems;

/// <summary>
/// Every error leaves as RFC 9457 problem details with a <c>code</c> member, never as a stack trace:
/// malformed bodies are 400 <c>validation</c>, a database that is briefly away is 503 with
/// <c>Retry-After</c>, and anything unexpected is a plain 500 that is logged, not shown.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddShiftsProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
            problem.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);
            // The gateway's request id, so a user's error report can be matched to the logs.
            if (context.HttpContext.Request.Headers["X-Request-Id"] is [{ Length: > 0 } requestId])
            {
                problem.Extensions.TryAdd("requestId", requestId);
            }

            problem.Detail ??= problem.Title;
            // Every 503 is worth repeating, and says after how long.
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = Problem.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        services.AddExceptionHandler<ExceptionToProblem>();

        // Binding failures (malformed JSON, wrong types) throw instead of writing an empty 400,
        // so that ExceptionToProblem turns them into validation problems with an errors map.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseShiftsProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}

internal sealed partial class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail, errors) = Describe(exception);
        if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(logger, exception.Message);
        }

        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static (int Status, string Code, string Title, string Detail, Dictionary<string, string[]>? Errors) Describe(Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                var (field, message) = DescribeBadRequest(bad);
                return (bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400, ProblemCodes.Validation,
                    "The request is invalid.", message, new() { [field] = [message] });
            // Also when wrapped (by a library, an aggregate): the cause decides, not the outer type.
            case var fault when DatabaseFaults.IsTransient(fault):
                return (503, ProblemCodes.Unavailable, Problem.UnavailableTitle,
                    "The database did not answer; try again in a few seconds.", null);
            // A service it depends on did not answer: in the gateway and the services that is the
            // volunteers service's signing keys (Auth:Authority), fetched while validating a token.
            case var unreachable when Causes(unreachable).Any(e => e is HttpRequestException):
                return (503, ProblemCodes.Unavailable, Problem.UnavailableTitle,
                    "A service it depends on did not answer; try again in a few seconds.", null);
            case TimeoutException:
                return (503, ProblemCodes.Unavailable, Problem.UnavailableTitle,
                    "A dependency did not answer in time; try again in a few seconds.", null);
            default:
                return (500, ProblemCodes.Internal, "An unexpected error occurred.",
                    "The error was logged; the request id identifies it.", null);
        }
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    /// <summary>Names the offending field where System.Text.Json says which one (its JSON path).</summary>
    private static (string Field, string Message) DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            // A reader error is broken JSON as a whole; otherwise the path names the field whose
            // value does not fit its type (a string for a number, an unknown enum value, ...).
            var syntax = json.InnerException?.GetType().Name == "JsonReaderException";
            if (!syntax && json.Path is { Length: > 2 } path)
            {
                var field = path.TrimStart('$', '.');
                if (json is StrictTextException)
                {
                    return (field, $"'{field}' {StrictText.Rule}.");
                }

                // UnmappedMemberHandling.Disallow (JsonSetup): the path ends in the member the type lacks.
                if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
                {
                    return (field, $"'{field}' is not a member of this request.");
                }

                return (field, $"'{field}' has a value of the wrong type or format.");
            }

            return ("body", $"The body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).");
        }

        return ("request", bad.Message);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering 503: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
