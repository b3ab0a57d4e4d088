namespace Shifts.Contracts;

/// <summary>
/// A person is no longer a member of an organisation: they left (<paramref name="Reason"/>
/// "left") or a coordinator removed them ("removed"). For the mail that tells them; the membership
/// itself travels as <see cref="MembershipChanged"/> with Role null. Carries the address so the
/// mail does not depend on a replica.
/// </summary>
public sealed record MembershipEnded(Guid VolunteerId, string Email, string Name, string Locale, string Org, string OrgName, string Reason);
