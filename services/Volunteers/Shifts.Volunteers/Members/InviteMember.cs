using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Profile;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

public sealed record NewMember(string? Name, string? Email, string? Role, string[]? Qualifications, string? Locale);

/// <summary>
/// Invites a person: a pending request and a confirmation mail, no membership (double opt-in).
/// The answer is the same 202 for a stranger's address, a known one and a member's, and says
/// nothing about the person: what the organisation sees until the click is the invitation
/// (GET .../members/invitations), as the coordinator typed it.
/// </summary>
internal static class InviteMember
{
    public static async Task<Results<Accepted, ProblemHttpResult>> HandleAsync(
        string org, NewMember request, Caller caller, Transactions transactions, IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.PlainText("name", request.Name, 200);
        if (!TextRules.IsEmail(request.Email))
        {
            errors.Add("email", "A valid email address of at most 254 characters is required.");
        }

        if (request.Role is not null && !Roles.IsRole(request.Role))
        {
            errors.Add("role", "'role' must be helper, coordinator or admin.");
        }

        ProfileRules.Locale(errors, request.Locale);
        var codes = QualificationCodes.Check(errors, "qualifications", request.Qualifications, required: false);
        var role = request.Role ?? Roles.Helper;

        return await transactions.RunAsync<Results<Accepted, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.CoordinatorOrPlatformAdmin,
                "Only coordinators of the organisation can add members.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var organisation = access.Organisation;
            if (errors.Any)
            {
                return errors.ToProblem();
            }

            if (role != Roles.Helper && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can add coordinators and admins.");
            }

            if (await MemberQualifications.UnknownCodesAsync(tx, organisation.Id, codes, ct) is { Count: > 0 } unknown)
            {
                return Problem.Validation("qualifications", $"The organisation has no qualification {string.Join(", ", unknown)}.");
            }

            var ask = new MembershipAsk(MembershipRequests.InvitationKind, request.Email!, request.Name!, request.Locale ?? ProfileRules.DefaultLocale,
                role, codes, caller.RequiredId, string.IsNullOrWhiteSpace(caller.Name) ? null : caller.Name);
            await MembershipRequests.RequestAsync(tx, organisation, ask, configuration, time.GetUtcNow(), ct);
            return TypedResults.Accepted($"/api/orgs/{organisation.Slug}/members/invitations");
        }, cancellationToken);
    }
}
