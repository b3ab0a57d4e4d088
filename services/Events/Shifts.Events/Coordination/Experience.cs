using Shifts.Events.Statuses;

namespace Shifts.Events.Coordination;

/// <summary>
/// Newcomer or experienced, in one organisation: a person is experienced there once they have
/// completed a shift of it (a confirmed claim on a shift that has ended), a newcomer until then.
/// </summary>
internal static class Experience
{
    /// <summary>
    /// SQL: whether the volunteer of the claim row <c>c</c> (in the organisation of the shift row
    /// <c>s</c>) is experienced. Used inside the gap list's and the candidates' queries.
    /// </summary>
    public const string IsExperienced = $"""
        EXISTS (SELECT 1 FROM claims done JOIN shifts ds ON ds.id = done.shift_id
                WHERE done.volunteer_id = c.volunteer_id AND ds.org = s.org AND done.status = '{ClaimStatus.Confirmed}' AND ds.ends_at < @now)
        """;
}
