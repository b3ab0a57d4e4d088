using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.People;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

/// <summary>
/// A membership ends: the person leaves (<c>DELETE /api/orgs/{org}/members/me</c>) or a coordinator
/// removes them (<c>DELETE /api/orgs/{org}/members/{volunteerId}</c>; coordinators and admins only
/// by an admin). Either way the person is told by mail, every replica drops the membership with
/// its qualifications, and the organisation keeps at least one admin.
/// </summary>
internal static class Leaving
{
    public static async Task<Results<NoContent, ProblemHttpResult>> LeaveAsync(
        string org, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            var role = await MembershipRows.LockRoleAsync(tx, caller.RequiredId, organisation.Id, ct);
            if (role is null)
            {
                return Problem.NotFound("You are not a member of this organisation.");
            }

            if (role == Roles.Admin && await MembershipRows.AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(MembersEndpoints.LastAdmin, "The organisation's last admin cannot leave; make someone else admin first.");
            }

            await EndAsync(tx, caller.RequiredId, organisation, EndReasons.Left, ct);
            return TypedResults.NoContent();
        }, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string org, Guid volunteerId, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.CoordinatorOrPlatformAdmin,
                "Only coordinators of the organisation can remove members.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var organisation = access.Organisation;

            var role = await MembershipRows.LockRoleAsync(tx, volunteerId, organisation.Id, ct);
            if (role is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            if (role != Roles.Helper && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can remove coordinators and admins.");
            }

            if (role == Roles.Admin && await MembershipRows.AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(MembersEndpoints.LastAdmin, "The organisation's last admin cannot be removed; make someone else admin first.");
            }

            await EndAsync(tx, volunteerId, organisation, volunteerId == caller.Id ? EndReasons.Left : EndReasons.Removed, ct);
            return TypedResults.NoContent();
        }, cancellationToken);

    /// <summary>Removes the membership (MembershipRows.RemoveAsync publishes it), mails the person, and notes a last membership ending.</summary>
    private static async Task EndAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation organisation, string reason, CancellationToken cancellationToken)
    {
        await MembershipRows.RemoveAsync(tx, volunteerId, organisation, cancellationToken);
        if (await VolunteerRows.FindByIdAsync(tx, volunteerId, cancellationToken) is { } volunteer)
        {
            await Outbox.EnqueueAsync(tx, new MembershipEnded(volunteer.Id, volunteer.Email, volunteer.Name, volunteer.Locale, organisation.Slug, organisation.Name, reason), cancellationToken);
        }

        if (!await MembershipRows.HasAnyAsync(tx, volunteerId, cancellationToken))
        {
            await OnLastMembershipEndedAsync(tx, volunteerId, cancellationToken);
        }
    }

    /// <summary>
    /// The person belongs to no organisation any more: their sessions end here, in the same
    /// transaction, so no refresh works after the answer (access tokens they hold are refused by
    /// every service's current-state check already, and expire within minutes).
    /// </summary>
    private static Task OnLastMembershipEndedAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken) =>
        RefreshTokens.RevokeAllAsync(tx, volunteerId, cancellationToken);
}
