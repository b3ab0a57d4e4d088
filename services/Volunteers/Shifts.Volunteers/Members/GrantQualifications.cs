using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

public sealed record QualificationGrant(string[]? Codes);

public sealed record MemberQualificationsView(Guid VolunteerId, string Org, IReadOnlyList<string> Codes);

/// <summary>A coordinator sets which of the organisation's qualifications a member holds.</summary>
internal static class GrantQualifications
{
    public static async Task<Results<Ok<MemberQualificationsView>, ProblemHttpResult>> HandleAsync(
        string org, Guid volunteerId, QualificationGrant request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var codes = QualificationCodes.Check(errors, "codes", request.Codes, required: true);
        return await transactions.RunAsync<Results<Ok<MemberQualificationsView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Coordinator,
                "Only coordinators of the organisation can grant qualifications.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var organisation = access.Organisation;

            // The lock orders concurrent grants for one person, so their events leave in commit order.
            if (await MembershipRows.LockRoleAsync(tx, volunteerId, organisation.Id, ct) is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            if (await MemberQualifications.UnknownCodesAsync(tx, organisation.Id, codes, ct) is { Count: > 0 } unknown)
            {
                return Problem.Validation("codes", $"The organisation has no qualification {string.Join(", ", unknown)}.");
            }

            await MemberQualifications.ReplaceAsync(tx, volunteerId, organisation, codes, ct);
            return TypedResults.Ok(new MemberQualificationsView(volunteerId, organisation.Slug, codes));
        }, cancellationToken);
    }
}
