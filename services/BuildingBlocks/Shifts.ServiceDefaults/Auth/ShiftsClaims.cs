namespace Shifts.ServiceDefaults.Auth;

/// <summary>The claims of a Shifts access token (issued by the volunteers service, ES256).</summary>
public static class ShiftsClaims
{
    /// <summary>The volunteer id.</summary>
    public const string Subject = "sub";

    public const string Name = "name";

    /// <summary>One value per membership: "{organisation slug}:{role}", e.g. "kv-mitte-ost:coordinator".</summary>
    public const string Membership = "mem";

    /// <summary>"true" for the platform admin (creates organisations).</summary>
    public const string PlatformAdmin = "padm";

    public const string Issuer = "shifts";
    public const string Audience = "shifts";
    public const string Algorithm = "ES256";
}

/// <summary>Roles within one organisation, in ascending power: each includes what the ones before it may do.</summary>
public enum OrgRole
{
    Helper = 1,
    Coordinator = 2,
    Admin = 3,
}
