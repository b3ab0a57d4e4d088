using System.Globalization;
using Microsoft.Extensions.Localization;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Personal;

/// <summary>
/// Until when a person may give a place back themselves: the organisation's cancellation deadline
/// before the shift starts (the events service refuses later with cancellation-deadline-passed).
/// </summary>
public static class GiveBack
{
    public static DateTimeOffset Deadline(DateTimeOffset startsAt, TimeSpan cancellationDeadline) => startsAt - cancellationDeadline;

    public static bool StillPossible(DateTimeOffset startsAt, TimeSpan cancellationDeadline, DateTimeOffset now) =>
        now < Deadline(startsAt, cancellationDeadline);

    /// <summary>
    /// The deadline as said in a sentence, in the organisation's zone: "heute, 10:00", "morgen,
    /// 10:00", "Fr., 5. Dez., 10:00" (the year only when it is not this one).
    /// </summary>
    public static string Moment(IStringLocalizer<MeText> text, DateTimeOffset deadline, string? timeZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var local = When.Local(deadline, timeZone);
        var today = When.Local(now, timeZone).Date;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (local.Date == today)
        {
            return text["when.today", time];
        }

        if (local.Date == today.AddDays(1))
        {
            return text["when.tomorrow", time];
        }

        var culture = CultureInfo.CurrentCulture;
        var german = culture.TwoLetterISOLanguageName == "de";
        var year = local.Year == today.Year ? "" : " yyyy";
        if (!german)
        {
            return $"{local.ToString("ddd d MMM" + year, culture)}, {time}";
        }

        // German abbreviates the weekday with a full stop ("Fr."); the culture data does not always.
        var weekday = local.ToString("ddd", culture);
        return $"{weekday}{(weekday.EndsWith('.') ? "" : ".")}, {local.ToString("d. MMM" + year, culture)}, {time}";
    }
}
