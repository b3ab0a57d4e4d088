using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

/// <summary>One member with contact details; the read is logged.</summary>
internal static class GetMember
{
    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> HandleAsync(
        string org, Guid volunteerId, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<MemberView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Coordinator,
                "Only coordinators of the organisation can see its members' contact details.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var organisation = access.Organisation;
            var found = await MemberRows.ReadAsync(tx, organisation.Id, MemberQuery.One(volunteerId), ct);
            if (found.Count == 0)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            await MembershipRows.LogContactAccessAsync(tx, caller, organisation.Id, ContactReads.Read, 1, time.GetUtcNow(), ct);
            return TypedResults.Ok(found[0].View);
        }, cancellationToken);
}
