using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.Confirmations;

/// <summary>
/// The .ics sent with a confirmation (RFC 5545): one VEVENT whose UID is the claim id, so a
/// calendar that imports it twice (a confirmation, then a waitlist promotion of the same claim)
/// keeps one entry; its SEQUENCE is the shift's revision, so the file of a change notice replaces
/// the confirmation's entry (and the calendar feed's, which counts the same). Times in UTC;
/// calendar apps show them in the reader's zone.
/// </summary>
public static class CalendarAttachment
{
    public const string FileName = "shift.ics";

    public static MailAttachment For(Guid claimId, ShiftDetails shift, string link, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var calendar = new Calendar { Method = "PUBLISH", ProductId = "-//Shifts//Shifts//EN" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{claimId}@shifts",
            Sequence = (int)Math.Clamp(shift.Revision, 0, int.MaxValue),
            DtStamp = new CalDateTime(now.UtcDateTime),
            DtStart = new CalDateTime(shift.StartsAt.UtcDateTime),
            DtEnd = new CalDateTime(shift.EndsAt.UtcDateTime),
            Summary = $"{shift.EventTitle} – {shift.ShiftTitle}",
            Location = ShiftValues.Place(shift.LocationName, shift.LocationAddress),
            Description = link,
            Url = new Uri(link),
        });
        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        return new MailAttachment(FileName, "text/calendar; charset=utf-8; method=PUBLISH", text);
    }
}
