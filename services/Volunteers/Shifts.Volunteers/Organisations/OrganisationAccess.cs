using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Organisations;

/// <summary>What the caller must be for a use case of an organisation: at least <see cref="Role"/> in it, or the platform admin where <see cref="PlatformAdminMay"/>.</summary>
public sealed record Requirement(OrgRole Role, bool PlatformAdminMay)
{
    /// <summary>Any member; the platform admin too.</summary>
    public static Requirement MemberOrPlatformAdmin { get; } = new(OrgRole.Helper, PlatformAdminMay: true);

    /// <summary>The organisation's coordinators and admins, by their membership: contact details need a role in the organisation itself.</summary>
    public static Requirement Coordinator { get; } = new(OrgRole.Coordinator, PlatformAdminMay: false);

    public static Requirement CoordinatorOrPlatformAdmin { get; } = new(OrgRole.Coordinator, PlatformAdminMay: true);

    /// <summary>The organisation's admins and the platform admin (<see cref="OrganisationRights.MayAdminister"/>).</summary>
    public static Requirement Admin { get; } = new(OrgRole.Admin, PlatformAdminMay: true);

    public bool IsMetBy(Caller caller, string org)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Has(org, Role) || (PlatformAdminMay && caller.IsPlatformAdmin);
    }
}

/// <summary>The organisation a request names, when the caller may act in it; otherwise the problem to answer.</summary>
public sealed record OrganisationAccess(Organisation? Organisation, ProblemHttpResult? Refusal)
{
    [MemberNotNullWhen(true, nameof(Organisation))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Granted => Refusal is null;

    /// <summary>
    /// Finds the organisation (404 when there is none by that slug) and checks the caller meets
    /// <paramref name="requirement"/> (403 with <paramref name="forbidden"/> otherwise): the preamble
    /// of every use case an organisation's people have. Validation comes after it, so a stranger
    /// learns nothing from the 400s of an organisation they cannot act in.
    /// </summary>
    public static async Task<OrganisationAccess> RequireAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string org, Caller caller, Requirement requirement, string forbidden, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var organisation = await Organisation.FindAsync(connection, tx, org, cancellationToken, forUpdate);
        if (organisation is null)
        {
            return new OrganisationAccess(null, Problem.NotFound($"There is no organisation '{org}'."));
        }

        return requirement.IsMetBy(caller, organisation.Slug)
            ? new OrganisationAccess(organisation, null)
            : new OrganisationAccess(null, Problem.Forbidden(forbidden));
    }

    public static Task<OrganisationAccess> RequireAsync(
        NpgsqlTransaction tx, string org, Caller caller, Requirement requirement, string forbidden, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return RequireAsync(tx.Connection!, tx, org, caller, requirement, forbidden, cancellationToken, forUpdate);
    }
}

/// <summary>Who may manage an organisation.</summary>
public static class OrganisationRights
{
    /// <summary>
    /// The organisation's admins; and the platform admin, who creates an organisation before it
    /// has any member and so appoints its first admin (and steps in when the last one is gone).
    /// Contact details still need a role in the organisation itself.
    /// </summary>
    public static bool MayAdminister(this Caller caller, string org) => Requirement.Admin.IsMetBy(caller, org);
}
