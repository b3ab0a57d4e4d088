using Microsoft.Extensions.Localization;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Claiming;

/// <summary>
/// The words a shift card and the shift page both show about a shift: how many places are left,
/// and the badges (mine, waitlisted, cancelled, started, postponed, newcomers welcome, qualification).
/// </summary>
public static class ShiftBadges
{
    /// <summary>"3 of 4 places free", "only 1 of 4 left", "full, 2 waiting".</summary>
    public static string Places(IStringLocalizer<ShiftsText> s, ShiftSummary shift)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(shift);
        return shift.Free == 0
            ? shift.Waitlisted > 0 ? s["card.places.fullWaitlist", shift.Waitlisted] : s["card.places.full"]
            : ShiftStandings.IsNearlyFull(shift) ? s["card.places.few", shift.Free, shift.Capacity] : s["card.places.free", shift.Free, shift.Capacity];
    }

    /// <summary>The badges in the order they are shown, each with its CSS tone ("ok", "warn", "danger" or none).</summary>
    public static IReadOnlyList<(string Text, string Kind)> For(
        IStringLocalizer<ShiftsText> s, ShiftSummary shift, ShiftStanding standing, int? waitlistPosition, string? qualificationName)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(shift);
        var badges = new List<(string, string)>();
        switch (standing)
        {
            case ShiftStanding.Mine:
                badges.Add((s["card.mine"], "ok"));
                break;
            case ShiftStanding.Waitlisted:
                badges.Add((s["card.waitlisted", waitlistPosition ?? 0], "warn"));
                break;
            case ShiftStanding.Cancelled:
                badges.Add((s["card.cancelled"], "danger"));
                break;
            case ShiftStanding.Started:
                badges.Add((s["card.started"], ""));
                break;
        }

        if (shift.EventStatus == "postponed" && standing is not ShiftStanding.Cancelled)
        {
            badges.Add((s["card.postponed"], "warn"));
        }

        if (shift.NewcomerFriendly)
        {
            badges.Add((s["card.newcomer"], "ok"));
        }

        if (shift.RequiredQualification is { } code)
        {
            badges.Add((s["card.requires", qualificationName ?? code], ""));
        }

        return badges;
    }
}
