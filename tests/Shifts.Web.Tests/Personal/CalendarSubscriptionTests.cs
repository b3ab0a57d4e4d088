using Shifts.Web.Api;
using Shifts.Web.Components.Personal;

namespace Shifts.Web.Tests.Personal;

/// <summary>The calendar feed on /me/shifts: the webcal link, the address to copy, the QR code, and a new address only after asking.</summary>
public sealed class CalendarSubscriptionTests : ComponentTest
{
    private const string Url = "https://shifts.example.org/api/calendar/k7Qm2xVb9RtLp4WzN8cYhE3uJ6sA1dFgT5oKiPq0Mn.ics";

    private IRenderedComponent<CalendarSubscription> Section(CalendarFeed? feed, bool confirm = false, bool rotated = false, Action? onRotate = null) =>
        Render<CalendarSubscription>(p => p
            .Add(c => c.Feed, feed)
            .Add(c => c.ConfirmRotate, confirm)
            .Add(c => c.Rotated, rotated)
            .Add(c => c.OnRotate, () => onRotate?.Invoke()));

    [Theory]
    [InlineData("https://host/api/calendar/t.ics", "webcal://host/api/calendar/t.ics")]
    [InlineData("http://localhost:8080/api/calendar/t.ics", "webcal://localhost:8080/api/calendar/t.ics")]
    [InlineData("HTTPS://host/x.ics", "webcal://host/x.ics")]
    [InlineData("webcal://host/x.ics", "webcal://host/x.ics")]
    public void The_webcal_address_is_the_feed_with_its_scheme_replaced(string url, string webcal)
    {
        Assert.Equal(webcal, CalendarAddress.Webcal(url));
    }

    [Fact]
    public void The_feed_is_offered_as_a_webcal_link_an_address_to_copy_and_a_QR_code_without_inline_style()
    {
        var section = Section(new CalendarFeed(Url));

        Assert.Equal("webcal://shifts.example.org/api/calendar/k7Qm2xVb9RtLp4WzN8cYhE3uJ6sA1dFgT5oKiPq0Mn.ics", section.Find("a.button.primary").GetAttribute("href"));
        var copy = section.Find("input#calendar-url");
        Assert.True(copy.HasAttribute("readonly"));
        Assert.Equal(Url, copy.GetAttribute("value"));
        Assert.Equal("calendar-url", section.Find("label[for=calendar-url]").GetAttribute("for"));
        var qr = section.Find("img.qr");
        Assert.Equal("QR-Code deiner Kalenderadresse", qr.GetAttribute("alt"));
        var png = Convert.FromBase64String(qr.GetAttribute("src")!["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The gateway's CSP allows no inline style or script.
        Assert.DoesNotContain("style=", section.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", section.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/me/shifts?calendar=rotate#calendar", section.Find("a[href*=rotate]").GetAttribute("href"));
        Assert.Empty(section.FindAll("form"));
    }

    [Fact]
    public void A_new_address_is_made_only_after_saying_the_old_one_stops_working()
    {
        var rotated = false;
        var section = Section(new CalendarFeed(Url), confirm: true, onRotate: () => rotated = true);

        Assert.Contains("funktioniert sofort nicht mehr", section.Find("#rotate-question + p").TextContent, StringComparison.Ordinal);
        var form = section.Find("form");
        Assert.Equal("/me/shifts?calendar=rotate#calendar", form.GetAttribute("action"));
        Assert.Equal("Ja, neue Adresse erstellen", form.QuerySelector("button.danger")!.TextContent);
        Assert.Equal("/me/shifts#calendar", section.Find("a.button:not(.primary)").GetAttribute("href"));

        form.Submit();
        Assert.True(rotated);
    }

    [Fact]
    public void After_rotation_the_new_address_is_announced()
    {
        Assert.Contains("Die alte funktioniert nicht mehr", Section(new CalendarFeed(Url), rotated: true).Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_feed_the_section_says_it_cannot_show_it_and_offers_nothing_to_copy()
    {
        var section = Section(null);

        Assert.Contains("kann gerade nicht angezeigt werden", section.Find(".notice.warning").TextContent, StringComparison.Ordinal);
        Assert.Empty(section.FindAll("input"));
        Assert.Empty(section.FindAll("img"));
    }
}
