using Shifts.Web.Api;
using Shifts.Web.Components.Personal;
using Shifts.Web.Localization;
using static Shifts.Web.Tests.Personal.PersonalData;

namespace Shifts.Web.Tests.Personal;

/// <summary>One of the person's shifts on /me/shifts: what it says, and when it offers the give-back.</summary>
public sealed class MyShiftCardTests : ComponentTest
{
    private static readonly TimeSpan DayBefore = TimeSpan.FromHours(24);

    private IRenderedComponent<MyShiftCard> Card(OpenShift shift, string kind = "mine", TimeSpan? cancellationDeadline = null, bool unknownDeadline = false,
        int? position = null, string? error = null, string? organisation = null, Action<OpenShift>? onGiveBack = null) =>
        Render<MyShiftCard>(p => p
            .Add(c => c.Shift, shift)
            .Add(c => c.Kind, kind)
            .Add(c => c.TimeZone, Berlin)
            .Add(c => c.Now, Now)
            .Add(c => c.Deadline, unknownDeadline ? null : GiveBack.Deadline(shift.StartsAt, cancellationDeadline ?? DayBefore))
            .Add(c => c.WaitlistPosition, position)
            .Add(c => c.Error, error)
            .Add(c => c.OrganisationName, organisation)
            .Add(c => c.OnGiveBack, s => onGiveBack?.Invoke(s)));

    [Fact]
    public void A_place_before_the_deadline_says_until_when_and_offers_the_give_back_for_this_shift()
    {
        var shift = MyShift();
        OpenShift? given = null;
        var card = Card(shift, onGiveBack: s => given = s);

        Assert.Equal($"/shifts/{shift.Id}", card.Find("h3 a").GetAttribute("href"));
        Assert.Equal(When.Full(shift.StartsAt, shift.EndsAt, Berlin), card.Find(".me-when").TextContent);
        Assert.Equal("Du bist dabei", card.Find(".badge").TextContent);
        // Saturday 10:00 less the organisation's 24 hours is Friday 10:00: "tomorrow" from Thursday.
        Assert.Equal("Du kannst sie bis morgen, 10:00 zurückgeben.", card.Find(".actions .small").TextContent);
        Assert.Equal(shift.Id.ToString(), card.Find("input[name=ShiftId]").GetAttribute("value"));
        Assert.Equal($"/me/shifts#shift-{shift.Id}", card.Find("form").GetAttribute("action"));
        var button = card.Find("form button[type=submit]");
        Assert.Equal("Zurückgeben", button.TextContent);
        Assert.Equal($"Standbetreuung, {When.Full(shift.StartsAt, shift.EndsAt, Berlin)} zurückgeben", button.GetAttribute("aria-label"));

        card.Find("form").Submit();
        Assert.Equal(shift, given);
    }

    [Fact]
    public void After_the_deadline_there_is_no_button_but_the_coordinators_to_ask()
    {
        // Friday 10:00 starts within 24 hours of Thursday noon.
        var card = Card(MyShift(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.FromHours(1))));

        Assert.Empty(card.FindAll("form"));
        Assert.Equal("Zum Zurückgeben ist es zu spät. Bitte sprich mit deinen Koordinator*innen.", card.Find(".actions .small").TextContent);
    }

    [Fact]
    public void A_deadline_of_its_own_organisation_decides_a_shift_two_days_away()
    {
        var shift = MyShift(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1)));

        Assert.Empty(Card(shift, cancellationDeadline: TimeSpan.FromDays(3)).FindAll("form"));
        Assert.Single(Card(shift, cancellationDeadline: TimeSpan.FromHours(2)).FindAll("form"));
    }

    [Fact]
    public void Without_a_known_deadline_the_give_back_is_offered_and_the_API_decides()
    {
        var card = Card(MyShift(), unknownDeadline: true);

        Assert.Single(card.FindAll("form button[type=submit]"));
        Assert.Empty(card.FindAll(".actions .small"));
    }

    [Fact]
    public void A_shift_under_way_says_so_and_offers_nothing()
    {
        var card = Card(MyShift(Now.AddMinutes(-30)));

        Assert.Equal("Läuft gerade", card.Find(".badge").TextContent);
        Assert.Empty(card.FindAll(".actions"));
    }

    [Fact]
    public void A_waitlist_place_says_its_position_and_what_happens_when_a_place_frees_up()
    {
        var card = Card(MyShift(), kind: "waiting", position: 2);

        Assert.Equal("Warteliste: Platz 2", card.Find(".badge").TextContent);
        Assert.Contains("me-waiting", card.Find("article").ClassList);
        Assert.Contains("erfährt es per Mail", card.Find("article > .small").TextContent, StringComparison.Ordinal);
        Assert.Empty(card.FindAll("form"));
    }

    [Fact]
    public void A_past_shift_is_done_and_offers_nothing()
    {
        var card = Card(MyShift(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(1))), kind: "past");

        Assert.Equal("Vorbei", card.Find(".badge").TextContent);
        Assert.Empty(card.FindAll("form"));
    }

    [Fact]
    public void A_refusal_is_announced_on_the_card_and_the_organisation_named_when_given()
    {
        var card = Card(MyShift(), error: "Du hast keinen Platz mehr in dieser Schicht.", organisation: "Kreisverband Nord");

        Assert.Equal("Du hast keinen Platz mehr in dieser Schicht.", card.Find("[role=alert]").TextContent);
        Assert.Equal("Kreisverband Nord", card.Find(".me-org").TextContent);
    }

    [Fact]
    public void In_English_the_card_says_until_when_in_English()
    {
        Speak("en");
        var card = Card(MyShift(new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.FromHours(1))));

        Assert.Equal("You're in", card.Find(".badge").TextContent);
        Assert.Equal("You can give it back until Fri 11 Dec, 10:00.", card.Find(".actions .small").TextContent);
        Assert.Equal("Give back", card.Find("form button").TextContent);
    }
}
