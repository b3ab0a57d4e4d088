namespace Shifts.Web.Components.Claiming;

/// <summary>Where a shift stands for the person looking at it: what the card says and which button it offers.</summary>
public enum ShiftStanding
{
    /// <summary>Places free: "Count me in".</summary>
    Free,

    /// <summary>Places free, but few: "Count me in", with a hint to hurry.</summary>
    NearlyFull,

    /// <summary>No place free: "Join the waitlist".</summary>
    Full,

    /// <summary>The person holds a place.</summary>
    Mine,

    /// <summary>The person is on the waitlist.</summary>
    Waitlisted,

    /// <summary>It has begun (or is over): nothing to book.</summary>
    Started,

    /// <summary>Its event is postponed or not published: nothing to book for now.</summary>
    Closed,

    /// <summary>The shift or its event is cancelled.</summary>
    Cancelled,
}

public static class ShiftStandings
{
    /// <summary>
    /// The one place that decides a card's state. Cancelled wins over everything (its claims are
    /// released); the person's own place or waitlist position wins over the shift's fullness.
    /// </summary>
    public static ShiftStanding Of(ShiftSummary shift, bool mine, int? waitlistPosition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(shift);
        if (shift.Status == "cancelled" || shift.EventStatus == "cancelled")
        {
            return ShiftStanding.Cancelled;
        }

        if (mine)
        {
            return ShiftStanding.Mine;
        }

        if (shift.StartsAt <= now)
        {
            return ShiftStanding.Started;
        }

        if (shift.Status != "open" || shift.EventStatus != "published")
        {
            return ShiftStanding.Closed;
        }

        if (waitlistPosition is not null)
        {
            return ShiftStanding.Waitlisted;
        }

        if (shift.Free == 0)
        {
            return ShiftStanding.Full;
        }

        return IsNearlyFull(shift) ? ShiftStanding.NearlyFull : ShiftStanding.Free;
    }

    /// <summary>Someone is on it already and one place is left, or at most a quarter of them (a one-person shift nobody holds is simply free).</summary>
    public static bool IsNearlyFull(ShiftSummary shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return shift.Free > 0 && shift.Free < shift.Capacity && (shift.Free == 1 || shift.Free * 4 <= shift.Capacity);
    }

    public static bool CanClaim(this ShiftStanding standing) => standing is ShiftStanding.Free or ShiftStanding.NearlyFull;
}
