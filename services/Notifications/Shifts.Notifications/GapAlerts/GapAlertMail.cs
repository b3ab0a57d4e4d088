using System.Globalization;
using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.GapAlerts;

/// <summary>
/// The gap alert one coordinator reads: every short shift of the message in one mail, earliest
/// first, each with how many are signed up of the minimum, and the lead time in whole hours.
/// </summary>
public static class GapAlertMail
{
    public static RenderedMail Render(string name, string language, Organisation org, TimeSpan leadTime, IReadOnlyCollection<UnderstaffedShift> gaps, AppLinks links)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentNullException.ThrowIfNull(links);
        var items = MailBlock.Join(gaps.OrderBy(g => g.Shift.StartsAt).Select(gap =>
        {
            var values = ShiftValues.For(gap.Shift, org, language, links);
            values["confirmed"] = gap.Confirmed.ToString(CultureInfo.InvariantCulture);
            values["minimum"] = gap.Minimum.ToString(CultureInfo.InvariantCulture);
            return MailTemplates.Block("gap-item", language, values);
        }));
        return MailTemplates.Render(MailKind.GapAlert, language, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = name,
            ["org"] = org.Name,
            ["count"] = gaps.Count.ToString(CultureInfo.InvariantCulture),
            ["shiftCount"] = ShiftCount(gaps.Count, language),
            ["lead"] = ((int)Math.Round(leadTime.TotalHours)).ToString(CultureInfo.InvariantCulture),
            ["items"] = items,
            ["gapsLink"] = links.Gaps(org.Slug),
        });
    }

    /// <summary>"1 Schicht", "3 Schichten": the subject's count in words.</summary>
    private static string ShiftCount(int count, string language) => language == "de"
        ? count == 1 ? "1 Schicht" : $"{count.ToString(CultureInfo.InvariantCulture)} Schichten"
        : count == 1 ? "1 shift" : $"{count.ToString(CultureInfo.InvariantCulture)} shifts";
}
