using Shifts.Web.Components.Claiming;
using Shifts.Web.Localization;

namespace Shifts.Web.Tests;

/// <summary>Each answer of the API to a claim, a waitlist join or a give-back, in the words a person reads.</summary>
public sealed class ClaimOutcomeMessageTests : ComponentTest
{
    private static readonly ShiftSummary Standbetreuung = Shift(capacity: 3, confirmed: 3);

    private IRenderedComponent<ClaimOutcomeMessage> Message(ClaimOutcome outcome) =>
        Render<ClaimOutcomeMessage>(p => p.Add(c => c.Outcome, outcome).Add(c => c.Now, Now));

    private IRenderedComponent<ClaimOutcomeMessage> Refusal(string code, int status = 409, string? members = null, ClaimAction action = ClaimAction.Claim,
        Func<ClaimOutcome, ClaimOutcome>? with = null)
    {
        var outcome = new ClaimOutcome(action, Standbetreuung, Problem(status, code, members)) { OrganisationName = "Kreisverband Mitte/Ost", TimeZone = Berlin };
        return Message(with?.Invoke(outcome) ?? outcome);
    }

    private static string Text(IRenderedComponent<ClaimOutcomeMessage> message) => message.Find(".notice p").TextContent;

    [Fact]
    public void A_claim_that_worked_says_you_are_in_politely_and_links_to_the_shift()
    {
        var message = Message(new ClaimOutcome(ClaimAction.Claim, Standbetreuung));

        var notice = message.Find("[role=status]");
        Assert.Contains("success", notice.ClassList);
        Assert.Equal("Du bist dabei – danke! Alle Einzelheiten findest du bei der Schicht.", Text(message));
        Assert.Equal($"/shifts/{Standbetreuung.Id}", message.Find("a").GetAttribute("href"));
        Assert.Equal("Zur Schicht", message.Find("a").TextContent);
    }

    [Fact]
    public void A_claim_answered_200_says_nothing_changed()
    {
        var message = Message(new ClaimOutcome(ClaimAction.Claim, Standbetreuung) { AlreadyHeld = true });

        Assert.Equal("Du warst schon dabei – es bleibt alles, wie es ist.", Text(message));
    }

    [Fact]
    public void A_waitlist_join_says_the_position()
    {
        var message = Message(new ClaimOutcome(ClaimAction.JoinWaitlist, Standbetreuung) { WaitlistPosition = 2 });

        Assert.StartsWith("Du bist auf Platz 2 der Warteliste.", Text(message));
    }

    [Fact]
    public void Shift_full_offers_the_waitlist_in_words_and_as_an_alert()
    {
        var message = Refusal("shift-full", members: "\"waitlistAvailable\":true");

        Assert.NotNull(message.Find("[role=alert]"));
        Assert.Equal("Knapp verpasst – der letzte Platz ist gerade weg. Du kannst dich auf die Warteliste setzen: Wird ein Platz frei, bekommst du ihn.", Text(message));
        Assert.True(ClaimOutcomeText.OffersWaitlist(new ClaimOutcome(ClaimAction.Claim, Standbetreuung, Problem(409, "shift-full", "\"waitlistAvailable\":true"))));
    }

    [Fact]
    public void Shift_full_without_a_waitlist_does_not_promise_one()
    {
        Assert.Equal("Knapp verpasst – der letzte Platz ist gerade weg.", Text(Refusal("shift-full")));
    }

    [Fact]
    public void Overlapping_claim_names_the_other_shift_with_its_time_and_links_to_it()
    {
        var other = Shift(title: "Aufbau", id: Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa"),
            startsAt: new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.FromHours(1))) with { EndsAt = new DateTimeOffset(2026, 12, 5, 10, 15, 0, TimeSpan.FromHours(1)) };
        var message = Refusal("overlapping-claim", members: $"\"conflictingShiftId\":\"{other.Id}\"", with: o => o with { ConflictingShift = other });

        Assert.Equal($"Du hast zu der Zeit schon eine Schicht: Aufbau (Infostand im Viertel), {When.ShortDate(other.StartsAt, Berlin)}, 09:30–10:15. Zwei Schichten gleichzeitig gehen nicht.", Text(message));
        Assert.Contains("5. Dez. 2026, 09:30–10:15", Text(message));
        var link = message.Find("a");
        Assert.Equal($"/shifts/{other.Id}", link.GetAttribute("href"));
        Assert.Equal("Zu „Aufbau“", link.TextContent);
    }

    [Fact]
    public void Overlapping_claim_in_English()
    {
        Speak("en");
        var other = Shift(title: "Aufbau", id: Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa"));
        var message = Refusal("overlapping-claim", with: o => o with { ConflictingShift = other });

        Assert.Equal($"You already have a shift at that time: Aufbau (Infostand im Viertel), {When.ShortDate(other.StartsAt, Berlin)}, 10:00–12:00. You can't be in two places at once.", Text(message));
        Assert.Contains("5 Dec 2026, 10:00–12:00", Text(message));
        Assert.Equal("To “Aufbau”", message.Find("a").TextContent);
    }

    [Fact]
    public void Overlapping_claim_whose_other_shift_could_not_be_read_links_to_my_shifts()
    {
        var message = Refusal("overlapping-claim");

        Assert.Equal("Du hast zu der Zeit schon eine andere Schicht. Zwei Schichten gleichzeitig gehen nicht.", Text(message));
        Assert.Equal("/me/shifts", message.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void Qualification_required_names_the_qualification_and_whom_to_ask()
    {
        var message = Refusal("qualification-required", 403, "\"qualification\":\"first-aid\"", with: o => o with { QualificationName = "Erste Hilfe" });

        Assert.Equal("Für diese Schicht brauchst du die Qualifikation „Erste Hilfe“. Wenn du sie hast, bitte deine Koordinator*innen bei Kreisverband Mitte/Ost, sie bei dir einzutragen.", Text(message));
    }

    [Fact]
    public void Shift_closed_says_why_from_the_shift_as_it_is_now()
    {
        Assert.Equal("Diese Schicht wurde abgesagt.", Text(Refusal("shift-closed", with: o => o with { Current = Standbetreuung with { Status = "cancelled" } })));
        Assert.Equal("Die Veranstaltung wurde abgesagt.", Text(Refusal("shift-closed", with: o => o with { Current = Standbetreuung with { EventStatus = "cancelled" } })));
        Assert.Equal("Diese Schicht hat schon begonnen – eintragen geht nicht mehr.",
            Text(Refusal("shift-closed", with: o => o with { Current = Standbetreuung with { StartsAt = Now.AddMinutes(-1) } })));
        Assert.StartsWith("Die Veranstaltung ist verschoben.", Text(Refusal("shift-closed", with: o => o with { Current = Standbetreuung with { EventStatus = "postponed" } })));
    }

    [Fact]
    public void Cancellation_deadline_passed_gives_the_deadline_and_whom_to_ask()
    {
        var deadline = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.FromHours(1));
        var message = Refusal("cancellation-deadline-passed", action: ClaimAction.GiveBack, with: o => o with { Deadline = deadline });

        Assert.Equal($"Zum Zurückgeben ist es hier zu spät: Das ging bis {When.Moment(deadline, Berlin)}. Sag bitte deinen Koordinator*innen bei Kreisverband Mitte/Ost Bescheid – sie kümmern sich um Ersatz.", Text(message));
        Assert.Contains("4. Dez. 2026, 10:00", Text(message));
    }

    [Fact]
    public void Already_claimed_on_joining_the_waitlist_links_to_the_shift()
    {
        var message = Refusal("already-claimed", action: ClaimAction.JoinWaitlist);

        Assert.Equal("Du hast auf dieser Schicht schon einen Platz – warten musst du nicht.", Text(message));
        Assert.Equal($"/shifts/{Standbetreuung.Id}", message.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void Rate_limited_asks_to_wait_a_moment()
    {
        Assert.Equal("Das waren viele Versuche in kurzer Zeit. Warte einen Moment und versuch es dann noch einmal.", Text(Refusal("rate-limited", 429)));
    }

    [Fact]
    public void Unavailable_on_a_claim_reassures_that_a_retry_cannot_claim_twice()
    {
        Assert.Contains("doppelt eingetragen wirst du dabei nicht", Text(Refusal("unavailable", 503)));
        Assert.Equal("Wir haben den Server gerade nicht erreicht. Versuch es bitte gleich noch einmal.", Text(Refusal("unavailable", 503, action: ClaimAction.GiveBack)));
    }

    [Fact]
    public void Forbidden_names_the_organisation()
    {
        Assert.Equal("Das können nur Mitglieder von Kreisverband Mitte/Ost, und du bist (nicht mehr) dabei.", Text(Refusal("forbidden", 403)));
    }

    [Fact]
    public void A_code_the_app_does_not_know_falls_back_to_the_shared_words()
    {
        var message = Refusal("something-new", 409);

        Assert.NotNull(message.Find("[role=alert]"));
        Assert.False(string.IsNullOrWhiteSpace(Text(message)));
        Assert.DoesNotContain("something-new", Text(message));
        Assert.DoesNotContain("problem.", Text(message));
    }

    [Fact]
    public void Giving_back_in_English()
    {
        Speak("en");
        Assert.Equal("You've given the shift back. Thanks for letting us know in good time.", Text(Message(new ClaimOutcome(ClaimAction.GiveBack, Standbetreuung))));
    }
}
