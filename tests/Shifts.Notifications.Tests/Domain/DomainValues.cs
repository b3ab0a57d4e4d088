using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.Tests.Domain;

/// <summary>The values the domain tests share: an organisation in Berlin, a shift on a June Saturday, and people in both languages.</summary>
internal static class DomainValues
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly Organisation KvMitte = new("kv-mitte", "KV Mitte", Berlin);

    public static readonly AppLinks Links = new(new Uri("https://shifts.example.org/"));

    /// <summary>Saturday, 13 June 2026, 10:00–14:00 in Berlin (summer time, UTC+2).</summary>
    public static ShiftDetails Shift(DateTimeOffset? startsAt = null, string shiftTitle = "Ausschank", string? address = "Am Deich 1")
    {
        var start = startsAt ?? new DateTimeOffset(2026, 6, 13, 8, 0, 0, TimeSpan.Zero);
        return new ShiftDetails(Guid.Parse("0199a5b0-0000-7000-8000-000000000001"), Guid.Parse("0199a5b0-0000-7000-8000-000000000002"),
            KvMitte.Slug, "Sommerfest", shiftTitle, start, start.AddHours(4), "Weserwehr", address);
    }

    public static Recipient Person(string locale, string name = "Anna") =>
        new(Guid.NewGuid(), $"{name.ToLowerInvariant()}@example.org", name, locale, EmailReminders: true, ReminderLeadTimes: null, QuietHours: null);
}
