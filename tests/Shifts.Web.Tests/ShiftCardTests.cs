using Shifts.Web.Components.Claiming;
using Shifts.Web.Localization;

namespace Shifts.Web.Tests;

public sealed class ShiftCardTests : ComponentTest
{
    private IRenderedComponent<ShiftCard> Card(ShiftSummary shift, bool mine = false, int? waitlistPosition = null, string? qualificationName = null,
        string key = "key-1", Action<ShiftSummary>? onClaim = null, Action<ShiftSummary>? onWaitlist = null) =>
        Render<ShiftCard>(p => p
            .Add(c => c.Shift, shift)
            .Add(c => c.TimeZone, Berlin)
            .Add(c => c.Now, Now)
            .Add(c => c.Mine, mine)
            .Add(c => c.WaitlistPosition, waitlistPosition)
            .Add(c => c.QualificationName, qualificationName)
            .Add(c => c.IdempotencyKey, key)
            .Add(c => c.FormAction, $"/shifts?kind=info-stand#shift-{shift.Id}")
            .Add(c => c.OnClaim, s => onClaim?.Invoke(s))
            .Add(c => c.OnJoinWaitlist, s => onWaitlist?.Invoke(s)));

    [Fact]
    public void Free_shift_says_how_many_places_are_free_and_offers_the_claim_with_its_key()
    {
        var shift = Shift(capacity: 4, confirmed: 2);
        var card = Card(shift, key: "4b1d0c52-key");

        Assert.Equal("Standbetreuung", card.Find("h3").TextContent.Trim());
        Assert.Equal($"/shifts/{shift.Id}", card.Find("h3 a").GetAttribute("href"));
        Assert.Equal("10:00–12:00", card.Find(".when").TextContent);
        Assert.Equal("Sielwall-Kreuzung", card.Find(".where").TextContent);
        Assert.Equal("2 von 4 frei", card.Find(".places").TextContent);
        var button = card.Find("form button[type=submit]");
        Assert.Equal("Ich bin dabei", button.TextContent);
        // The date as When writes it (ICU decides "Sa" or "Sa."); the label must carry the shift and its time.
        Assert.Equal($"Ich bin dabei: Standbetreuung, {When.Full(shift.StartsAt, shift.EndsAt, Berlin)}", button.GetAttribute("aria-label"));
        Assert.EndsWith("5. Dez. 2026, 10:00–12:00", button.GetAttribute("aria-label"));
        Assert.Equal("4b1d0c52-key", card.Find("input[name=Key]").GetAttribute("value"));
        Assert.Equal(shift.Id.ToString(), card.Find("input[name=ShiftId]").GetAttribute("value"));
        Assert.Equal($"/shifts?kind=info-stand#shift-{shift.Id}", card.Find("form").GetAttribute("action"));
        Assert.Equal(ShiftStanding.Free, card.Instance.Standing);
    }

    [Fact]
    public void Nearly_full_shift_says_only_one_place_is_left()
    {
        var card = Card(Shift(capacity: 4, confirmed: 3));

        Assert.Equal("Nur noch 1 von 4 frei", card.Find(".places").TextContent);
        Assert.Contains("few", card.Find(".places").ClassList);
        Assert.Equal("Ich bin dabei", card.Find("form button").TextContent);
    }

    [Fact]
    public void A_one_person_shift_nobody_holds_is_free_not_nearly_full()
    {
        var card = Card(Shift(capacity: 1, confirmed: 0));

        Assert.Equal("1 von 1 frei", card.Find(".places").TextContent);
        Assert.Equal(ShiftStanding.Free, card.Instance.Standing);
    }

    [Fact]
    public void Full_shift_names_the_waitlist_and_offers_it_instead_of_the_claim()
    {
        ShiftSummary? joined = null;
        var card = Card(Shift(capacity: 4, confirmed: 4, waitlisted: 3), onWaitlist: s => joined = s);

        Assert.Equal("Voll, 3 auf der Warteliste", card.Find(".places").TextContent);
        var button = card.Find("form button");
        Assert.Equal("Auf die Warteliste", button.TextContent);
        Assert.Empty(card.FindAll("input[name=Key]"));

        card.Find("form").Submit();
        Assert.Equal("Standbetreuung", joined?.Title);
    }

    [Fact]
    public void Full_shift_in_English()
    {
        Speak("en");
        var card = Card(Shift(capacity: 2, confirmed: 2, waitlisted: 1));

        Assert.Equal("Full, 1 on the waitlist", card.Find(".places").TextContent);
        Assert.Equal("Join the waitlist", card.Find("form button").TextContent);
    }

    [Fact]
    public void Full_shift_without_anyone_waiting_just_says_full()
    {
        var card = Card(Shift(capacity: 2, confirmed: 2));

        Assert.Equal("Voll", card.Find(".places").TextContent);
    }

    [Fact]
    public void Submitting_the_claim_form_hands_the_shift_to_the_page()
    {
        ShiftSummary? claimed = null;
        var shift = Shift(confirmed: 1);
        var card = Card(shift, onClaim: s => claimed = s);

        card.Find("form").Submit();

        Assert.Equal(shift.Id, claimed?.Id);
    }

    [Fact]
    public void My_shift_says_you_are_in_and_links_to_the_shift_without_a_form()
    {
        var shift = Shift(confirmed: 3);
        var card = Card(shift, mine: true);

        Assert.Contains("Du bist dabei", card.Find(".badges").TextContent);
        var link = card.Find(".actions a.button");
        Assert.Equal("Zur Schicht", link.TextContent);
        Assert.Equal($"/shifts/{shift.Id}", link.GetAttribute("href"));
        Assert.Empty(card.FindAll("form"));
        Assert.Contains("mine", card.Find("article").ClassList);
    }

    [Fact]
    public void Waitlisted_shift_shows_the_position_and_no_button()
    {
        var card = Card(Shift(capacity: 3, confirmed: 3, waitlisted: 2), waitlistPosition: 2);

        Assert.Contains("Warteliste: Platz 2", card.Find(".badges").TextContent);
        Assert.Empty(card.FindAll("form"));
        Assert.Equal(ShiftStanding.Waitlisted, card.Instance.Standing);
    }

    [Fact]
    public void Started_shift_explains_that_signing_up_is_over()
    {
        var card = Card(Shift(confirmed: 1, startsAt: Now.AddMinutes(-30)));

        Assert.Contains("Hat schon begonnen", card.Find(".badges").TextContent);
        Assert.Equal("Diese Schicht hat schon begonnen – eintragen geht nicht mehr.", card.Find(".actions p").TextContent);
        Assert.Empty(card.FindAll("form"));
    }

    [Fact]
    public void Shift_of_a_postponed_event_is_closed_and_says_why()
    {
        var card = Card(Shift(confirmed: 1, eventStatus: "postponed"));

        Assert.Contains("Verschoben", card.Find(".badges").TextContent);
        Assert.Contains("sobald sie einen neuen Termin hat", card.Find(".actions p").TextContent);
        Assert.Empty(card.FindAll("form"));
        Assert.Equal(ShiftStanding.Closed, card.Instance.Standing);
    }

    [Fact]
    public void Cancelled_shift_says_so_and_shows_no_places_and_no_button()
    {
        var card = Card(Shift(confirmed: 0, status: "cancelled"));

        Assert.Contains("Abgesagt", card.Find(".badges").TextContent);
        Assert.Equal("Diese Schicht wurde abgesagt.", card.Find(".actions p").TextContent);
        Assert.Empty(card.FindAll(".places"));
        Assert.Empty(card.FindAll("form"));
    }

    [Fact]
    public void Cancelled_wins_over_holding_a_place()
    {
        var card = Card(Shift(confirmed: 1, eventStatus: "cancelled"), mine: true);

        Assert.Equal(ShiftStanding.Cancelled, card.Instance.Standing);
        Assert.Equal("Die Veranstaltung wurde abgesagt.", card.Find(".actions p").TextContent);
    }

    [Fact]
    public void Badges_name_newcomer_friendliness_and_the_required_qualification_by_name()
    {
        var card = Card(Shift(newcomerFriendly: true, qualification: "first-aid"), qualificationName: "Erste Hilfe");

        var badges = card.FindAll(".badge").Select(b => b.TextContent).ToList();
        Assert.Contains("Gut für Neue", badges);
        Assert.Contains("Voraussetzung: Erste Hilfe", badges);
    }

    [Fact]
    public void A_claim_outcome_replaces_the_link_with_the_outcome_and_its_link()
    {
        var shift = Shift(confirmed: 2);
        var card = Render<ShiftCard>(p => p
            .Add(c => c.Shift, shift).Add(c => c.TimeZone, Berlin).Add(c => c.Now, Now).Add(c => c.Mine, true)
            .Add(c => c.Outcome, new ClaimOutcome(ClaimAction.Claim, shift)));

        Assert.StartsWith("Du bist dabei – danke!", card.Find("[role=status]").TextContent.Trim());
        Assert.Equal($"/shifts/{shift.Id}", card.Find("[role=status] a").GetAttribute("href"));
        Assert.Empty(card.FindAll(".actions a.button"));
    }

    [Fact]
    public void After_a_refusal_that_a_retry_cannot_change_the_claim_button_goes()
    {
        var shift = Shift(confirmed: 1, qualification: "first-aid");
        var refused = new ClaimOutcome(ClaimAction.Claim, shift, Problem(403, "qualification-required")) { QualificationName = "Erste Hilfe", OrganisationName = "Kreisverband Mitte/Ost" };
        var card = Render<ShiftCard>(p => p.Add(c => c.Shift, shift).Add(c => c.TimeZone, Berlin).Add(c => c.Now, Now).Add(c => c.Outcome, refused));

        Assert.Contains("„Erste Hilfe“", card.Find("[role=alert]").TextContent);
        Assert.Empty(card.FindAll("form"));

        // After "too many tries", another tap in a moment can work: the button stays.
        var rateLimited = refused with { Problem = Problem(429, "rate-limited") };
        card.Render(p => p.Add(c => c.Outcome, rateLimited));
        Assert.Equal("Ich bin dabei", card.Find("form button").TextContent);
    }

    [Fact]
    public void A_shift_across_midnight_shows_the_day_it_ends()
    {
        var start = new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.FromHours(1));
        var shift = Shift(startsAt: start) with { EndsAt = start.AddHours(5) };

        Assert.Equal("22:00–03:00 (+1)", Card(shift).Find(".when").TextContent);
    }
}
