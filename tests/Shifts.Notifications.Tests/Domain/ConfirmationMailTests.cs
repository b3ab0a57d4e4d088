using System.Text.RegularExpressions;
using Shifts.Notifications.Confirmations;
using Shifts.Notifications.Mail;
using Shifts.Notifications.ShiftMail;
using static Shifts.Notifications.Tests.Domain.DomainValues;

namespace Shifts.Notifications.Tests.Domain;

/// <summary>The confirmation of a claim, rendered without any server: its texts in German and English, and its calendar entry.</summary>
public sealed partial class ConfirmationMailTests
{
    private static RenderedMail Confirmation(string locale, string name = "Anna")
    {
        var recipient = Person(locale, name);
        return MailTemplates.Render(MailKind.ClaimConfirmed, recipient.Language, ShiftValues.For(Shift(), KvMitte, recipient, Links));
    }

    [Fact]
    public void The_German_confirmation_names_the_shift_its_local_time_and_place()
    {
        var mail = Confirmation("de");

        Assert.Equal("Bestätigt: Ausschank – Sommerfest", mail.Subject);
        Assert.StartsWith("Hallo Anna,\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Wann: Samstag, 13. Juni 2026, 10:00–14:00 Uhr\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Wo: Weserwehr, Am Deich 1\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"https://shifts.example.org/shifts/{Shift().ShiftId}", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\">", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_English_confirmation_says_the_same_in_English()
    {
        var mail = Confirmation("en");

        Assert.Equal("Confirmed: Ausschank – Sommerfest", mail.Subject);
        Assert.StartsWith("Hello Anna,\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("When: Saturday, 13 June 2026, 10:00–14:00\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Where: Weserwehr, Am Deich 1\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("DE-ch", "de")]
    [InlineData("en", "en")]
    [InlineData("fr", "en")]
    [InlineData(null, "en")]
    public void German_locales_get_German_and_every_other_locale_English(string? locale, string language) =>
        Assert.Equal(language, MailTemplates.Language(locale));

    [Fact]
    public void Values_are_encoded_in_the_HTML_part_and_left_as_they_are_in_the_text()
    {
        var mail = Confirmation("de", "Ann <b>&</b>");

        Assert.Contains("Hallo Ann <b>&</b>,", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Hallo Ann &lt;b&gt;&amp;&lt;/b&gt;,", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&</b>", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_across_midnight_shows_both_ends_in_full()
    {
        var late = Shift(new DateTimeOffset(2026, 6, 13, 20, 0, 0, TimeSpan.Zero)); // 22:00 to 02:00 in Berlin

        Assert.Equal("Samstag, 13. Juni 2026, 22:00 Uhr bis Sonntag, 14. Juni 2026, 02:00 Uhr", LocalTimes.Span(late.StartsAt, late.EndsAt, Berlin, "de"));
        Assert.Equal("Saturday, 13 June 2026, 22:00 to Sunday, 14 June 2026, 02:00", LocalTimes.Span(late.StartsAt, late.EndsAt, Berlin, "en"));
    }

    [Fact]
    public void The_calendar_entry_is_one_event_in_UTC_whose_uid_is_the_claim()
    {
        var claimId = Guid.Parse("0199a5b0-0000-7000-8000-0000000000aa");
        var link = Links.Shift(Shift().ShiftId);
        var attachment = CalendarAttachment.For(claimId, Shift(), link, new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ics = Unfold(attachment.Content);

        Assert.Equal("shift.ics", attachment.FileName);
        Assert.Equal("text/calendar; charset=utf-8; method=PUBLISH", attachment.ContentType);
        Assert.Contains("METHOD:PUBLISH", ics, StringComparison.Ordinal);
        Assert.Single(Lines(ics), line => line == "BEGIN:VEVENT");
        Assert.Contains($"UID:{claimId}@shifts", Lines(ics));
        Assert.Contains("DTSTART:20260613T080000Z", Lines(ics));
        Assert.Contains("DTEND:20260613T120000Z", Lines(ics));
        Assert.Contains("DTSTAMP:20260601T120000Z", Lines(ics));
        Assert.Contains("SUMMARY:Sommerfest – Ausschank", Lines(ics));
        Assert.Contains(@"LOCATION:Weserwehr\, Am Deich 1", Lines(ics));
        Assert.Contains($"URL:{link}", Lines(ics));
    }

    [Fact]
    public void A_place_without_an_address_is_just_its_name()
    {
        var attachment = CalendarAttachment.For(Guid.NewGuid(), Shift(address: null), Links.Shift(Guid.NewGuid()), DateTimeOffset.UtcNow);

        Assert.Contains("LOCATION:Weserwehr", Lines(Unfold(attachment.Content)));
        Assert.Equal("Weserwehr", ShiftValues.Place("Weserwehr", " "));
    }

    private static string[] Lines(string ics) => ics.Split("\r\n");

    /// <summary>RFC 5545 folds long lines (CRLF and a space); a reader unfolds them.</summary>
    private static string Unfold(string ics) => Folded().Replace(ics, "");

    [GeneratedRegex("\r\n[ \t]")]
    private static partial Regex Folded();
}
