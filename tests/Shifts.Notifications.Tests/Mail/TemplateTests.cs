using System.Text.RegularExpressions;
using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.Tests.Mail;

/// <summary>The mail texts as files: every mail exists in both languages, renders, and shows local times as people write them.</summary>
public sealed partial class TemplateTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Every_mail_exists_in_German_and_English()
    {
        var german = MailTemplates.MailNames("de").ToList();
        var english = MailTemplates.MailNames("en").ToList();

        Assert.Equal(german, english);
        Assert.Superset(
            new HashSet<string> { "login-link", "welcome", "claim-confirmed", "claim-cancelled", "waitlist-promoted", "reminder", "event-postponed",
                "event-rescheduled", "event-cancelled", "shift-changed", "shift-cancelled", "gap-alert", "membership-confirm", "already-member",
                "membership-left", "membership-removed", "email-change-confirm", "email-changed", "shift-invitation", "claim-assigned", "event-message" },
            german.ToHashSet());
    }

    [Theory]
    [InlineData("de")]
    [InlineData("en")]
    public void Every_mail_renders_with_the_values_its_sender_gives(string language)
    {
        var org = new Organisation("kv-mitte", "KV Mitte", Berlin);
        var links = new AppLinks(new Uri("https://shifts.example.org/"));
        var shift = new ShiftDetails(Guid.NewGuid(), Guid.NewGuid(), "kv-mitte", "Sommerfest", "Ausschank",
            new DateTimeOffset(2026, 6, 13, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 13, 12, 0, 0, TimeSpan.Zero), "Weserwehr", null);
        var values = ShiftValues.For(shift, org, language, links);
        values["name"] = "Anna";
        values["minutes"] = "15";
        values["reason"] = MailTemplates.Block("cancel-reason-self", language, values);
        values["oldTime"] = values["newTime"] = values["oldPlace"] = "x";
        values["when"] = MailTemplates.Block("changed-time", language, values);
        values["where"] = MailTemplates.Block("changed-place", language, values);
        values["yourShift"] = MailTemplates.Block("your-shift", language, values);
        values["shifts"] = MailTemplates.Block("welcome-shifts", language, new Dictionary<string, object> { ["items"] = ShiftValues.Item(shift, org, language, links) });
        values["items"] = MailTemplates.Block("gap-item", language, new Dictionary<string, object>(values) { ["confirmed"] = "1", ["minimum"] = "3" });
        values["count"] = "1";
        values["shiftCount"] = language == "de" ? "1 Schicht" : "1 shift";
        values["lead"] = "48";
        values["gapsLink"] = links.Gaps("kv-mitte");
        values["days"] = "7";
        values["link"] = "https://shifts.example.org/join/confirm?token=t";
        values["newEmail"] = "neu@example.org";
        values["requestedBy"] = "Carla";
        values["askedBy"] = MailTemplates.Block("asked-by-coordinator", language, values);
        values["invitedBy"] = "Carla";
        values["expires"] = "x";
        values["acceptLink"] = values["declineLink"] = "https://shifts.example.org/invitations/t?answer=accept";
        values["assignedBy"] = MailTemplates.Block("assigned-by-person", language, new Dictionary<string, object>(values) { ["assignedByName"] = "Carla" });
        values["message"] = MailTemplates.Block("invitation-message", language, new Dictionary<string, object>(values) { ["words"] = MailTemplates.Written("Danke!") });
        values["subject"] = "Treffpunkt";
        values["sentBy"] = "Carla";
        values["words"] = MailTemplates.Written("Wir treffen uns an der Tram.");

        foreach (var name in MailTemplates.MailNames(language))
        {
            var mail = MailTemplates.Render(name, language, values);
            Assert.False(string.IsNullOrWhiteSpace(mail.Subject), name);
            Assert.DoesNotContain("{{", mail.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("{{", mail.Html, StringComparison.Ordinal);
            Assert.StartsWith("<!DOCTYPE html>", mail.Html, StringComparison.Ordinal);
            Assert.Contains($"lang=\"{language}\"", mail.Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_placeholder_without_a_value_is_a_bug_not_an_empty_gap()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MailTemplates.Render("login-link", "de", new Dictionary<string, object> { ["name"] = "Anna" }));
        Assert.Contains("link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_HTML_encoded_in_the_HTML_part_and_left_alone_in_the_text()
    {
        var mail = MailTemplates.Render("login-link", "en", new Dictionary<string, object>
        {
            ["name"] = "<script>alert('x')</script> & Co",
            ["link"] = "https://shifts.example.org/login?token=a&b",
            ["minutes"] = "15",
        });

        Assert.Contains("<script>alert('x')</script> & Co", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://shifts.example.org/login?token=a&amp;b\"", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_someone_wrote_are_encoded_in_the_HTML_with_their_line_breaks_and_left_alone_in_the_text()
    {
        var words = MailTemplates.Written("Treffpunkt <Tram> & Co\r\nbitte pünktlich\n");

        Assert.Equal("Treffpunkt <Tram> & Co\nbitte pünktlich\n", words.Text);
        Assert.Equal("Treffpunkt &lt;Tram&gt; &amp; Co<br>bitte pünktlich", words.Html);
    }

    [Fact]
    public void Times_read_as_Germans_and_English_speakers_write_them_in_the_organisations_zone()
    {
        var start = new DateTimeOffset(2026, 6, 13, 8, 0, 0, TimeSpan.Zero); // 10:00 in Berlin (summer time)

        Assert.Equal("Samstag, 13. Juni 2026, 10:00 Uhr", LocalTimes.Instant(start, Berlin, "de"));
        Assert.Equal("Saturday, 13 June 2026, 10:00", LocalTimes.Instant(start, Berlin, "en"));
        Assert.Equal("Samstag, 13. Juni 2026, 10:00–14:00 Uhr", LocalTimes.Span(start, start.AddHours(4), Berlin, "de"));
        Assert.Equal("Saturday, 13 June 2026, 10:00–14:00", LocalTimes.Span(start, start.AddHours(4), Berlin, "en"));
        Assert.Equal("Samstag, 13. Juni 2026, 22:00 Uhr bis Sonntag, 14. Juni 2026, 02:00 Uhr",
            LocalTimes.Span(start.AddHours(12), start.AddHours(16), Berlin, "de"));
        // Winter time: 10:00 local is 09:00 UTC.
        Assert.Equal("Samstag, 12. Dezember 2026, 10:00 Uhr", LocalTimes.Instant(new DateTimeOffset(2026, 12, 12, 9, 0, 0, TimeSpan.Zero), Berlin, "de"));
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("en", "en")]
    [InlineData("fr", "en")]
    [InlineData("", "en")]
    public void A_locale_picks_German_or_else_English(string locale, string language) =>
        Assert.Equal(language, MailTemplates.Language(locale));

    [Fact]
    public void An_empty_optional_part_leaves_no_run_of_blank_lines()
    {
        var mail = MailTemplates.Render("event-cancelled", "de", new Dictionary<string, object>
        {
            ["name"] = "Anna", ["event"] = "Sommerfest", ["time"] = "Samstag", ["place"] = "Weserwehr",
            ["reason"] = MailBlock.Empty, ["openShiftsLink"] = "https://x",
        });

        Assert.DoesNotMatch(ThreeNewlines(), mail.Text);
    }

    [GeneratedRegex("\n\n\n")]
    private static partial Regex ThreeNewlines();
}
