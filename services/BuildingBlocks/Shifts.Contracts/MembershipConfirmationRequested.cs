namespace Shifts.Contracts;

/// <summary>
/// Someone asked for <paramref name="Email"/> to become a member of an organisation (a sign-up, or a
/// coordinator's invitation); nothing happens unless the owner of the address confirms with the
/// link. Carries the address and the name as given because the person may not exist yet.
/// <paramref name="RequestedBy"/> is the coordinator's display name, or null for a sign-up of one's
/// own. <paramref name="Link"/> is null when the address already belongs to a member: they get a
/// short note instead of a link.
/// </summary>
public sealed record MembershipConfirmationRequested(
    Guid RequestId,
    string Email,
    string Name,
    string Locale,
    string Org,
    string OrgName,
    string? RequestedBy,
    Uri? Link,
    DateTimeOffset ExpiresAt);
