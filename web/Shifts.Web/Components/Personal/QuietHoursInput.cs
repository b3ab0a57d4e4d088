using System.Globalization;

namespace Shifts.Web.Components.Personal;

/// <summary>
/// The profile form's quiet hours: off, or a window from one local time to another ("22:00" to
/// "08:00" spans midnight). Browsers send HH:mm from a time field, some with seconds; the API
/// takes HH:mm.
/// </summary>
public static class QuietHoursInput
{
    /// <summary>The window, null for none, or a key of MeText saying what is wrong.</summary>
    public static (Api.QuietHoursPatch? Window, string? ErrorKey) Parse(bool on, string? from, string? to)
    {
        if (!on)
        {
            return (null, null);
        }

        if (!TryClock(from, out var start) || !TryClock(to, out var end))
        {
            return (null, "profile.quiet.invalid");
        }

        return start == end ? (null, "profile.quiet.same") : (new Api.QuietHoursPatch(Clock(start), Clock(end)), null);
    }

    public static bool TryClock(string? text, out TimeOnly value) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "HH:mm:ss", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static string Clock(TimeOnly value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);
}
