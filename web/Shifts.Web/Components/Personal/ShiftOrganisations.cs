using Shifts.Web.Api;

namespace Shifts.Web.Components.Personal;

/// <summary>
/// Which organisation each of the person's shifts belongs to. GET /api/me/shifts does not say; its
/// times carry the organisation's offset, but the time zone and the cancellation deadline are the
/// organisation's. A person in one organisation: that one. In several: the shift itself is asked
/// (GET /api/shifts/{id}) where the answer matters (shifts still to come, whose deadline depends on
/// it); for past shifts, whose time is all that is shown, the first organisation whose zone has the
/// shift's offset at its start is taken (no lookups for a year of history).
/// </summary>
public static class ShiftOrganisations
{
    public static async Task<IReadOnlyDictionary<Guid, string?>> ForUpcomingAsync(
        IReadOnlyList<string> memberOrgs, IEnumerable<Guid> shiftIds, Func<Guid, Task<string?>> lookup)
    {
        ArgumentNullException.ThrowIfNull(memberOrgs);
        ArgumentNullException.ThrowIfNull(lookup);
        var result = new Dictionary<Guid, string?>();
        foreach (var id in shiftIds.Distinct())
        {
            result[id] = memberOrgs.Count switch
            {
                0 => null,
                1 => memberOrgs[0],
                _ => await lookup(id),
            };
        }

        return result;
    }

    /// <summary>For display only: the single organisation, or the first whose zone has this offset at the shift's start.</summary>
    public static string? ForPast(IReadOnlyList<(string Org, string? TimeZone)> memberOrgs, DateTimeOffset startsAt)
    {
        ArgumentNullException.ThrowIfNull(memberOrgs);
        if (memberOrgs.Count <= 1)
        {
            return memberOrgs.Count == 0 ? null : memberOrgs[0].Org;
        }

        foreach (var (org, zone) in memberOrgs)
        {
            if (Localization.When.Zone(zone).GetUtcOffset(startsAt) == startsAt.Offset)
            {
                return org;
            }
        }

        return null;
    }
}
