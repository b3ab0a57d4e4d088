using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

public sealed record RoleChange(string? Role);

public sealed record MembershipView(Guid VolunteerId, string Org, string Role);

/// <summary>An admin gives a member another role; the organisation keeps at least one admin.</summary>
internal static class ChangeRole
{
    public static async Task<Results<Ok<MembershipView>, ProblemHttpResult>> HandleAsync(
        string org, Guid volunteerId, RoleChange request, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<MembershipView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Admin, "Only the organisation's admins can change roles.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var organisation = access.Organisation;
            if (!Roles.IsRole(request.Role))
            {
                return Problem.Validation("role", "'role' must be helper, coordinator or admin.");
            }

            var current = await MembershipRows.LockRoleAsync(tx, volunteerId, organisation.Id, ct);
            if (current is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            var role = request.Role!;
            if (current == role)
            {
                return TypedResults.Ok(new MembershipView(volunteerId, organisation.Slug, role));
            }

            if (current == Roles.Admin && await MembershipRows.AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(MembersEndpoints.LastAdmin, "The organisation's last admin cannot give up the role; make someone else admin first.");
            }

            await MembershipRows.ChangeRoleAsync(tx, volunteerId, organisation, role, ct);
            return TypedResults.Ok(new MembershipView(volunteerId, organisation.Slug, role));
        }, cancellationToken);
}
