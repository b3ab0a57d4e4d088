using Shifts.Events.Statuses;

namespace Shifts.Events.Coordination;

/// <summary>
/// Newcomer or experienced, in one organisation: a person is experienced there once they have
/// completed a shift of it (a confirmed claim on a shift that has ended), a newcomer until then.
/// </summary>
internal static class Experience
{
    /// <summary>
    /// SQL: whether the volunteer named by the column <paramref name="volunteer"/> is experienced in
    /// the organisation <paramref name="org"/> (a column or a parameter), as of <c>@now</c>. The gap
    /// list and the candidates' queries build their conditions from it.
    /// </summary>
    public static string Of(string volunteer, string org) => $"""
        EXISTS (SELECT 1 FROM claims done JOIN shifts ds ON ds.id = done.shift_id
                WHERE done.volunteer_id = {volunteer} AND ds.org = {org} AND done.status = '{ClaimStatus.Confirmed}' AND ds.ends_at < @now)
        """;

    /// <summary>The condition for the claim row <c>c</c> on the shift row <c>s</c>.</summary>
    public static readonly string OfClaim = Of("c.volunteer_id", "s.org");
}
