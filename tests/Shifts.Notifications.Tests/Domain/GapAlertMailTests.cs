using Shifts.Contracts;
using Shifts.Notifications.GapAlerts;
using static Shifts.Notifications.Tests.Domain.DomainValues;

namespace Shifts.Notifications.Tests.Domain;

/// <summary>The gap alert a coordinator reads: one mail for all the short shifts, earliest first, with the numbers that make them short.</summary>
public sealed class GapAlertMailTests
{
    private static readonly UnderstaffedShift Later = new(Shift(new DateTimeOffset(2026, 6, 14, 8, 0, 0, TimeSpan.Zero), "Abbau"), Confirmed: 2, Minimum: 5);
    private static readonly UnderstaffedShift Sooner = new(Shift(new DateTimeOffset(2026, 6, 13, 8, 0, 0, TimeSpan.Zero), "Aufbau"), Confirmed: 0, Minimum: 3);

    [Fact]
    public void One_German_mail_lists_every_short_shift_earliest_first()
    {
        var mail = GapAlertMail.Render("Clara", "de", KvMitte, TimeSpan.FromHours(48), [Later, Sooner], Links);

        Assert.Equal("KV Mitte: 2 Schichten noch unterbesetzt", mail.Subject);
        Assert.Contains("Hallo Clara,", mail.Text, StringComparison.Ordinal);
        Assert.Contains("in den nächsten 48 Stunden", mail.Text, StringComparison.Ordinal);
        var sooner = mail.Text.IndexOf("* Sommerfest – Aufbau: 0 von mindestens 3 eingetragen", StringComparison.Ordinal);
        var later = mail.Text.IndexOf("* Sommerfest – Abbau: 2 von mindestens 5 eingetragen", StringComparison.Ordinal);
        Assert.True(sooner >= 0 && later > sooner, mail.Text);
        Assert.Contains("Samstag, 13. Juni 2026, 10:00–14:00 Uhr", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Alle Lücken im Überblick: https://shifts.example.org/orgs/kv-mitte/gaps", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_English_mail_rounds_the_lead_time_to_whole_hours()
    {
        var mail = GapAlertMail.Render("Clara", "en", KvMitte, TimeSpan.FromMinutes(90.5 * 60), [Sooner], Links);

        Assert.Equal("KV Mitte: 1 shift still short of people", mail.Subject);
        Assert.Contains("start within the next 90 hours", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Aufbau", mail.Html, StringComparison.Ordinal);
    }
}
