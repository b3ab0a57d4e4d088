using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

/// <summary>
/// A membership ends: the person leaves (<c>DELETE /api/orgs/{org}/members/me</c>) or a coordinator
/// removes them (<c>DELETE /api/orgs/{org}/members/{volunteerId}</c>; coordinators and admins only
/// by an admin). Either way the person is told by mail, every replica drops the membership with
/// its qualifications, and the organisation keeps at least one admin.
/// </summary>
public static class LeavingApi
{
    public static IEndpointRouteBuilder MapLeaving(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/orgs/{org}/members").RequireAuthorization(ShiftsAuthentication.SignedIn);
        members.MapDelete("/me", Leave);
        members.MapDelete("/{volunteerId:guid}", Remove);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Leave(
        string org, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            var role = await Memberships.LockRoleAsync(tx, caller.RequiredId, organisation.Id, ct);
            if (role is null)
            {
                return Problem.NotFound("You are not a member of this organisation.");
            }

            if (role == "admin" && await MembersApi.AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(MembersApi.LastAdmin, "The organisation's last admin cannot leave; make someone else admin first.");
            }

            await EndAsync(tx, caller.RequiredId, organisation, "left", ct);
            return TypedResults.NoContent();
        }, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(
        string org, Guid volunteerId, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug) && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can remove members.");
            }

            var role = await Memberships.LockRoleAsync(tx, volunteerId, organisation.Id, ct);
            if (role is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            if (role != "helper" && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can remove coordinators and admins.");
            }

            if (role == "admin" && await MembersApi.AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(MembersApi.LastAdmin, "The organisation's last admin cannot be removed; make someone else admin first.");
            }

            await EndAsync(tx, volunteerId, organisation, volunteerId == caller.Id ? "left" : "removed", ct);
            return TypedResults.NoContent();
        }, cancellationToken);

    /// <summary>Removes the membership (Memberships.RemoveAsync publishes it), mails the person, and notes a last membership ending.</summary>
    private static async Task EndAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation organisation, string reason, CancellationToken cancellationToken)
    {
        await Memberships.RemoveAsync(tx, volunteerId, organisation, cancellationToken);
        if (await VolunteerRows.FindByIdAsync(tx, volunteerId, cancellationToken) is { } volunteer)
        {
            await Outbox.EnqueueAsync(tx, new MembershipEnded(volunteer.Id, volunteer.Email, volunteer.Name, volunteer.Locale, organisation.Slug, organisation.Name, reason), cancellationToken);
        }

        await using var remaining = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM memberships WHERE volunteer_id = @id)", tx.Connection, tx);
        remaining.Parameters.AddWithValue("id", volunteerId);
        if (!(bool)(await remaining.ExecuteScalarAsync(cancellationToken))!)
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
