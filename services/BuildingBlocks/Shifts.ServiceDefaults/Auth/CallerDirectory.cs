namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// What a person may do right now, as the service's own database says: the platform-admin flag and
/// the role in each organisation. The access token only says who is calling.
/// </summary>
public sealed record CallerState(bool IsPlatformAdmin, IReadOnlyDictionary<string, OrgRole> Roles)
{
    /// <summary>Known, but no role anywhere (e.g. not yet heard of by a replica).</summary>
    public static CallerState None { get; } = new(false, new Dictionary<string, OrgRole>(StringComparer.Ordinal));

    /// <summary>From "org"/"role" pairs as stored (roles the code does not know are ignored).</summary>
    public static CallerState From(bool isPlatformAdmin, IEnumerable<(string Org, string Role)> memberships)
    {
        ArgumentNullException.ThrowIfNull(memberships);
        var roles = new Dictionary<string, OrgRole>(StringComparer.Ordinal);
        foreach (var (org, name) in memberships)
        {
            if (Caller.TryParseRole(name, out var role))
            {
                roles[org] = role;
            }
        }

        return new CallerState(isPlatformAdmin, roles);
    }
}

/// <summary>
/// Where a service reads a caller's current rights: its own tables (the volunteers service) or its
/// replica of memberships fed by MembershipChanged (events, notifications). Registered by each
/// service that authorises by role; without one, rights come from the token (the gateway, which
/// only checks that a caller is signed in).
/// </summary>
public interface ICallerDirectory
{
    /// <summary>
    /// The person's current rights, in one round trip; null when the person is gone (erased, or
    /// never existed): every token of theirs is then refused with 401, however long it is valid.
    /// </summary>
    Task<CallerState?> FindAsync(Guid volunteerId, CancellationToken cancellationToken);
}
