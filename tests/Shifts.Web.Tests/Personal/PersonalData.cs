using Shifts.Web.Api;

namespace Shifts.Web.Tests.Personal;

/// <summary>The person's shifts as /api/me/shifts lists them, for the tests of their pages.</summary>
public static class PersonalData
{
    public static readonly Guid ShiftId = Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa");

    /// <summary>Saturday 5 December 2026, 10:00–12:00 (Berlin): Standbetreuung at the info stand.</summary>
    public static OpenShift MyShift(DateTimeOffset? startsAt = null, string title = "Standbetreuung", TimeSpan? length = null)
    {
        var start = startsAt ?? new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1));
        return new OpenShift(ShiftId, Guid.Parse("0193a1b2-0000-7000-8000-0000000000ee"), "Infostand im Viertel", "info-stand", title,
            start, start + (length ?? TimeSpan.FromHours(2)), new ShiftLocation("Sielwall-Kreuzung", "Ostertorsteinweg / Sielwall, 28203 Bremen"),
            3, 2, 2, 0, null, true);
    }
}
