using System.Security.Claims;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// Who is calling, read from the validated access token: the one place where every service asks
/// "may this person do that in this organisation?".
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
