namespace Shifts.Demo.Plan;

/// <param name="GapAlertLeadTimes">When before a short shift's start its coordinators are alerted (ISO 8601 durations); null: the service's default.</param>
public sealed record DemoOrganisation(string Slug, string Name, string TimeZone, string CancellationDeadline, IReadOnlyList<DemoQualification> Qualifications,
    IReadOnlyList<string>? GapAlertLeadTimes = null);

public sealed record DemoQualification(string Code, string Name);

/// <summary>How a person came in: added by the platform admin, by the organisation's admin, by a coordinator, or by the public sign-up.</summary>
public enum Joined
{
    ByPlatformAdmin,
    ByOrgAdmin,
    ByCoordinator,
    SignUp,
}

/// <summary>A member of one organisation. <paramref name="Newcomer"/>: joined through the sign-up, no shift done yet.</summary>
public sealed record DemoPerson(
    string Name,
    string Email,
    string Org,
    string Role,
    Joined Joined,
    IReadOnlyList<string> Qualifications,
    string Locale = "de",
    bool Newcomer = false,
    bool Claims = true);

/// <summary>
/// A shift of an event (of every occurrence of a series). Days count from the event's (occurrence's)
/// date, so a night shift ends on day 1. <paramref name="Fill"/> and <paramref name="Waitlist"/> hold
/// one number per occurrence: how many people claim it and how many then wait for a place.
/// </summary>
public sealed record DemoShift(
    string Title,
    TimeOnly Start,
    TimeOnly End,
    int Capacity,
    int Minimum,
    IReadOnlyList<int> Fill,
    string? Qualification = null,
    bool NewcomerFriendly = false,
    IReadOnlyList<int>? Waitlist = null,
    int EndDay = 0)
{
    public int WaitlistAt(int occurrence) => Waitlist is null ? 0 : Waitlist[occurrence];
}

public sealed record DemoRecurrence(IReadOnlyList<DayOfWeek> Weekdays, int Count);

/// <summary>An event (or a weekly series of them) with its shifts, created and published by a coordinator.</summary>
public sealed record DemoEvent(
    string Org,
    string Title,
    string Kind,
    string Description,
    string Location,
    string? Address,
    DateOnly Date,
    TimeOnly Start,
    TimeOnly End,
    string Coordinator,
    IReadOnlyList<DemoShift> Shifts,
    DemoRecurrence? Recurrence = null,
    string? PostponedBecause = null,
    int EndDay = 0)
{
    /// <summary>The dates of the event, or of every occurrence of the series, in order.</summary>
    public IReadOnlyList<DateOnly> Dates()
    {
        if (Recurrence is null)
        {
            return [Date];
        }

        var dates = new List<DateOnly>();
        for (var date = Date; dates.Count < Recurrence.Count; date = date.AddDays(1))
        {
            if (Recurrence.Weekdays.Contains(date.DayOfWeek))
            {
                dates.Add(date);
            }
        }

        return dates;
    }
}

/// <summary>Everything the demo creates, derived from the day it is loaded.</summary>
public sealed record DemoPlan(
    LocalCalendar Calendar,
    IReadOnlyList<DemoOrganisation> Organisations,
    IReadOnlyList<DemoPerson> People,
    IReadOnlyList<DemoEvent> Events,
    string DemoHelper,
    string DemoCoordinator)
{
    public const string MainOrg = "kv-mitte-ost";
}
