using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Profile;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

public sealed record SignupRequest(string? Name, string? Email, string? Locale);

/// <summary>
/// A helper asks to join an organisation with just a name and an address. Nobody becomes a member
/// here: the address gets a confirmation link (double opt-in, see MembershipRequests), so a
/// stranger's address typed in by someone else enrols nobody. The answer is 202 whether the person
/// was new, already known or already a member: the endpoint tells nobody who is in the organisation.
/// </summary>
internal static class SignUp
{
    public static async Task<Results<Accepted, ProblemHttpResult>> HandleAsync(
        string org, SignupRequest request, HttpRequest http, RateLimits limits, Transactions transactions, IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.PlainText("name", request.Name, 200);
        if (!TextRules.IsEmail(request.Email))
        {
            errors.Add("email", "A valid email address of at most 254 characters is required.");
        }

        ProfileRules.Locale(errors, request.Locale);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await limits.SignupRequestAsync(http.HttpContext, org, request.Email!, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var locale = request.Locale ?? PreferredLocale(http);
        var found = await transactions.RunAsync(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return false;
            }

            var ask = new MembershipAsk(MembershipRequests.SignupKind, request.Email!, request.Name!, locale, Roles.Helper, [], null, null);
            await MembershipRequests.RequestAsync(tx, organisation, ask, configuration, time.GetUtcNow(), ct);
            return true;
        }, cancellationToken);

        return found ? TypedResults.Accepted((string?)null) : Problem.NotFound($"There is no organisation '{org}'.");
    }

    /// <summary>The browser's language where the form did not say: English if preferred over German, else German.</summary>
    private static string PreferredLocale(HttpRequest http)
    {
        var languages = http.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1);
        foreach (var language in languages)
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return "en";
            }

            if (tag.StartsWith("de", StringComparison.OrdinalIgnoreCase))
            {
                return "de";
            }
        }

        return ProfileRules.DefaultLocale;
    }
}
