using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.ShiftMail;

/// <summary>
/// What every mail about a shift says, as template values: the event, the shift, the place, the
/// local time in the organisation's zone and the recipient's language, and the link into the app.
/// </summary>
public static class ShiftValues
{
    public static Dictionary<string, object> For(ShiftDetails shift, Organisation org, string language, AppLinks links)
    {
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(links);
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["org"] = org.Name,
            ["event"] = shift.EventTitle,
            ["shift"] = shift.ShiftTitle,
            ["place"] = Place(shift.LocationName, shift.LocationAddress),
            ["time"] = LocalTimes.Span(shift.StartsAt, shift.EndsAt, org.TimeZone, language),
            ["link"] = links.Shift(shift.ShiftId),
            ["openShiftsLink"] = links.OpenShifts(org.Slug),
            ["settingsLink"] = links.Settings(),
        };
    }

    /// <summary>The same values with the recipient's name, for a mail to one person.</summary>
    public static Dictionary<string, object> For(ShiftDetails shift, Organisation org, Recipient recipient, AppLinks links)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var values = For(shift, org, recipient.Language, links);
        values["name"] = recipient.Name;
        return values;
    }

    public static string Place(string name, string? address) =>
        string.IsNullOrWhiteSpace(address) ? name : $"{name}, {address}";

    /// <summary>A list item for the welcome mail's newcomer shifts.</summary>
    public static MailBlock Item(ShiftDetails shift, Organisation org, string language, AppLinks links) =>
        MailTemplates.Block("shift-item", language, For(shift, org, language, links));
}
