using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Members;

namespace Shifts.Volunteers.Login;

public sealed record LoginLinkRequest(string? Email);

/// <summary>
/// Passwordless login, step one: ask for a link by email. The answer is 202 whether or not the
/// address is known, so the endpoint cannot be used to find out who is a member.
/// </summary>
public static class LoginLinksApi
{
    public static IEndpointRouteBuilder MapLoginLinks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login-links", RequestLoginLink);
        return app;
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RequestLoginLink(
        LoginLinkRequest request,
        HttpContext context,
        RateLimits limits,
        Transactions transactions,
        IConfiguration configuration,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!IsEmail(request.Email))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["email"] = ["A valid email address of at most 254 characters is required."] },
                detail: "A valid email address is required.");
        }

        if (await limits.LinkRequestAsync(context, request.Email!, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        await transactions.RunAsync(async (transaction, token) =>
        {
            var volunteer = await VolunteerRows.FindByEmailAsync(transaction, request.Email!, token);
            if (volunteer is null)
            {
                return; // same answer, no mail: nobody learns whether the address is known
            }

            await LoginLinks.IssueAsync(transaction, volunteer, LoginLinks.PublicBaseUrl(configuration), time.GetUtcNow(), token);
        }, cancellationToken);

        return TypedResults.Accepted((string?)null);
    }

    internal static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 }
        && MailAddress.TryCreate(value.Trim(), out var address)
        && address.Address == value.Trim();
}
