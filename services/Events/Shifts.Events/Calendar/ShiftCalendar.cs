using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace Shifts.Events.Calendar;

/// <summary>
/// Shifts as RFC 5545 text. One VEVENT per shift and person, in the organisation's time zone (a
/// VTIMEZONE per zone, DTSTART/DTEND with its TZID), so a calendar shows the local time the
/// organisation means across daylight-saving changes. The UID is the person's claim id with
/// "@shifts", the scheme of the confirmation mail's .ics (notifications, CalendarAttachment): a
/// calendar that imported the mail's file and reads the feed has one entry, which the feed
/// updates. SEQUENCE is the shift's revision count (raised by the database on every change of
/// times, title, place or status), so a calendar that compares versions takes the newer one.
/// </summary>
public static class ShiftCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";

    private const string ProductId = "-//Shifts//Shifts//EN";

    /// <summary>How often a subscribed calendar should look again (RFC 7986 REFRESH-INTERVAL; X-PUBLISHED-TTL for Outlook and Apple).</summary>
    private const string RefreshInterval = "PT1H";

    public static string Feed(IReadOnlyList<CalendarEntry> entries, CalendarLinks links)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var calendar = New(entries);
        calendar.AddProperty("X-WR-CALNAME", "Shifts");
        calendar.AddProperty("X-PUBLISHED-TTL", RefreshInterval);
        var refresh = new CalendarProperty("REFRESH-INTERVAL", RefreshInterval);
        refresh.Parameters.Add("VALUE", "DURATION");
        calendar.AddProperty(refresh);
        foreach (var entry in entries)
        {
            calendar.Events.Add(Event(entry, links));
        }

        return Serialize(calendar);
    }

    public static string Single(CalendarEntry entry, CalendarLinks links)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var calendar = New([entry]);
        calendar.Events.Add(Event(entry, links));
        return Serialize(calendar);
    }

    /// <summary>
    /// The UID of a person's entry for a shift: their claim's id, as the confirmation mail's .ics
    /// has it (one claim row per person and shift, kept when a place is given back and taken
    /// again). Someone who never claimed the shift (a coordinator, a member looking at it) gets
    /// one from the shift and their id; it cannot match the mail's, which names a claim to come.
    /// </summary>
    public static string Uid(CalendarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ClaimId is { } claimId ? $"{claimId}@shifts" : $"{entry.ShiftId}.{entry.VolunteerId}@shifts";
    }

    private static Ical.Net.Calendar New(IReadOnlyList<CalendarEntry> entries)
    {
        // No METHOD: a feed and a downloaded file are published calendars, not iTIP messages.
        var calendar = new Ical.Net.Calendar { ProductId = ProductId };
        foreach (var zone in entries.GroupBy(e => e.TimeZone.Id, StringComparer.Ordinal))
        {
            if (Described(zone.Key))
            {
                // The rules in force from the earliest entry on; older history is of no use here.
                var earliest = zone.Min(e => e.StartsAt).UtcDateTime.AddDays(-1);
                calendar.AddTimeZone(zone.Key, earliest, includeHistoricalData: false);
            }
        }

        return calendar;
    }

    private static CalendarEvent Event(CalendarEntry entry, CalendarLinks links)
    {
        var link = links.Shift(entry.ShiftId);
        return new CalendarEvent
        {
            Uid = Uid(entry),
            Sequence = entry.Sequence,
            DtStamp = new CalDateTime(entry.RevisedAt.UtcDateTime, hasTime: true),
            DtStart = Time(entry.StartsAt, entry.TimeZone),
            DtEnd = Time(entry.EndsAt, entry.TimeZone),
            Summary = $"{entry.EventTitle} – {entry.ShiftTitle}",
            Location = string.IsNullOrWhiteSpace(entry.LocationAddress) ? entry.LocationName : $"{entry.LocationName}, {entry.LocationAddress}",
            Description = link,
            Url = new Uri(link),
            Status = entry.Cancelled ? EventStatus.Cancelled : entry.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
        };
    }

    /// <summary>
    /// Local time with the zone's TZID. Where the local time names two instants (the hour the clocks
    /// go back), or the zone is one Ical.Net's tz database does not know, UTC instead: exact, if
    /// shown in the reader's zone.
    /// </summary>
    private static CalDateTime Time(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return Described(zone.Id) && !zone.IsAmbiguousTime(local)
            ? new CalDateTime(local, zone.Id, hasTime: true)
            : new CalDateTime(instant.UtcDateTime, hasTime: true);
    }

    private static bool Described(string zoneId) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is not null;

    private static string Serialize(Ical.Net.Calendar calendar) => new CalendarSerializer().SerializeToString(calendar) ?? "";
}
