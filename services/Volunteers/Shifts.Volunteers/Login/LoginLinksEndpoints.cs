using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.OpenApi;

namespace Shifts.Volunteers.Login;

public sealed record LoginLinkRequest(string? Email);

/// <summary>
/// Passwordless login, step one: ask for a link by email. The answer is 202 whether or not the
/// address is known, so the endpoint cannot be used to find out who is a member; and it is given
/// before the address is looked up (<see cref="LoginLinkQueue"/>), so neither can its timing.
/// </summary>
public static class LoginLinksEndpoints
{
    public static IEndpointRouteBuilder MapLoginLinks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login-links", RequestLoginLink)
            .WithTags("Sessions")
            .WithSummary("Ask for a login link by mail (202 whether or not the address is known)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RequestLoginLink(
        LoginLinkRequest request,
        HttpContext context,
        RateLimits limits,
        LoginLinkQueue queue,
        CancellationToken cancellationToken)
    {
        if (!TextRules.IsEmail(request.Email))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["email"] = ["A valid email address of at most 254 characters is required."] },
                detail: "A valid email address is required.");
        }

        if (await limits.LinkRequestAsync(context, request.Email!, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        // The same work for every address up to here: the count above and this queue entry.
        await queue.EnqueueAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
