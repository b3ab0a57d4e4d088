using System.Security.Claims;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// Who is calling: the one place where every service asks "may this person do that in this
/// organisation?". The id and name come from the validated access token; the roles and the
/// platform-admin flag from the service's current state (<see cref="ICallerDirectory"/>), so a
/// demotion, a removal, a new membership or an erasure counts at once, whatever the token's age.
/// </summary>
public sealed class Caller
{
    private readonly Dictionary<string, OrgRole> _roles;

    private Caller(Guid? id, string? name, bool isPlatformAdmin, Dictionary<string, OrgRole> roles)
    {
        Id = id;
        Name = name;
        IsPlatformAdmin = isPlatformAdmin;
        _roles = roles;
    }

    public static Caller Anonymous { get; } = new(null, null, false, []);

    /// <summary>The volunteer id; null when nobody is signed in.</summary>
    public Guid? Id { get; }

    public string? Name { get; }

    public bool IsSignedIn => Id is not null;

    public bool IsPlatformAdmin { get; }

    public IReadOnlyDictionary<string, OrgRole> Roles => _roles;

    /// <summary>The signed-in volunteer's id; only call where authentication was required.</summary>
    public Guid RequiredId => Id ?? throw new InvalidOperationException("The endpoint requires a signed-in caller.");

    public OrgRole? RoleIn(string organisation) => _roles.TryGetValue(organisation, out var role) ? role : null;

    /// <summary>True when the caller holds at least <paramref name="role"/> in the organisation.</summary>
    public bool Has(string organisation, OrgRole role) => RoleIn(organisation) is { } held && held >= role;

    public bool IsMemberOf(string organisation) => Has(organisation, OrgRole.Helper);

    public bool IsCoordinatorOf(string organisation) => Has(organisation, OrgRole.Coordinator);

    /// <summary>
    /// Who the token says, with the rights the token lists. Only for a process without a
    /// <see cref="ICallerDirectory"/> (the gateway, which authorises nothing by role).
    /// </summary>
    public static Caller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ShiftsClaims.Subject), out var id))
        {
            return Anonymous;
        }

        var roles = new Dictionary<string, OrgRole>(StringComparer.Ordinal);
        foreach (var claim in principal.FindAll(ShiftsClaims.Membership))
        {
            var separator = claim.Value.LastIndexOf(':');
            if (separator > 0 && TryParseRole(claim.Value[(separator + 1)..], out var role))
            {
                roles[claim.Value[..separator]] = role;
            }
        }

        var admin = string.Equals(principal.FindFirstValue(ShiftsClaims.PlatformAdmin), "true", StringComparison.Ordinal);
        return new Caller(id, principal.FindFirstValue(ShiftsClaims.Name), admin, roles);
    }

    /// <summary>Who the token says, with the rights <paramref name="state"/> gives (the token's "mem" and "padm" are ignored).</summary>
    public static Caller From(ClaimsPrincipal principal, CallerState state)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(state);
        if (SubjectOf(principal) is not { } id)
        {
            return Anonymous;
        }

        return new Caller(id, principal.FindFirstValue(ShiftsClaims.Name), state.IsPlatformAdmin, new Dictionary<string, OrgRole>(state.Roles, StringComparer.Ordinal));
    }

    /// <summary>The volunteer id of an authenticated principal; null for anyone else.</summary>
    public static Guid? SubjectOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(ShiftsClaims.Subject), out var id) ? id : null;
    }

    public static bool TryParseRole(string value, out OrgRole role)
    {
        switch (value)
        {
            case "helper":
                role = OrgRole.Helper;
                return true;
            case "coordinator":
                role = OrgRole.Coordinator;
                return true;
            case "admin":
                role = OrgRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }

    public static string RoleName(OrgRole role) => role switch
    {
        OrgRole.Helper => "helper",
        OrgRole.Coordinator => "coordinator",
        OrgRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
