using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Components.Editor;
using Shifts.Web.Localization;

namespace Shifts.Web.Tests.Editor;

/// <summary>
/// The event editor's consequence texts, said before a consequential click: from the preview's
/// numbers for an event's move, from the staffing for a shift's change; none, one and several, in
/// German and English.
/// </summary>
public sealed class ConsequencesTests : ComponentTest
{
    private IStringLocalizer<EditorText> Text => Services.GetRequiredService<IStringLocalizer<EditorText>>();

    private static EventPreview Preview(string action, int events = 1, int told = 0, int released = 0, int overlapping = 0, int shifts = 2) =>
        new(action, events, told, released, overlapping, shifts);

    [Fact]
    public void A_reschedule_says_how_many_are_told_and_which_claim_overlaps_and_is_released()
    {
        Speak("en");
        Assert.Equal(
            ["The event and its 2 shifts move to the new time.", "4 people will be told by mail.", "1 claim overlaps another shift of the same person and will be released."],
            Consequences.Of(Text, Preview("reschedule", told: 4, released: 1, overlapping: 1)));
    }

    [Fact]
    public void Ein_verlegter_Termin_sagt_es_auf_Deutsch_mit_Einzahl_und_Mehrzahl()
    {
        Assert.Equal(
            ["Die Veranstaltung und ihre Schicht werden auf den neuen Termin verlegt.", "1 Person wird per Mail benachrichtigt.",
             "3 Plätze überschneiden sich mit anderen Schichten derselben Personen und werden freigegeben."],
            Consequences.Of(Text, Preview("reschedule", told: 1, released: 3, overlapping: 3, shifts: 1)));
    }

    [Fact]
    public void Nobody_told_and_nothing_overlapping_is_said_too_so_the_coordinator_knows_it_was_checked()
    {
        Speak("en");
        Assert.Equal(
            ["The event and its 2 shifts move to the new time.", "Nobody has to be told.", "No claim overlaps another shift of the same person."],
            Consequences.Of(Text, Preview("reschedule")));
        Assert.Equal(
            ["Die Veranstaltung und ihre 2 Schichten werden auf den neuen Termin verlegt.", "Niemand muss benachrichtigt werden.", "Kein Platz überschneidet sich mit einer anderen Schicht derselben Person."],
            WithGerman(() => Consequences.Of(Text, Preview("reschedule"))));
    }

    [Fact]
    public void Claims_released_beyond_the_overlapping_ones_are_counted_apart()
    {
        Speak("en");
        var sentences = Consequences.Of(Text, Preview("reschedule", told: 5, released: 3, overlapping: 1));
        Assert.Equal(["1 claim overlaps another shift of the same person and will be released.", "2 more claims will be released."], sentences.Skip(2));
    }

    [Fact]
    public void Cancelling_this_and_the_following_occurrences_names_them_and_the_claims_released()
    {
        Speak("en");
        Assert.Equal(
            ["3 events of the series are cancelled, this one and every later one, with 6 shifts in all.", "5 people will be told by mail.", "7 claims will be released."],
            Consequences.Of(Text, Preview("cancel", events: 3, told: 5, released: 7, shifts: 6)));
        Assert.Equal(
            ["Die Veranstaltung wird mit ihrer Schicht abgesagt.", "Niemand muss benachrichtigt werden.", "Kein Platz muss freigegeben werden."],
            WithGerman(() => Consequences.Of(Text, Preview("cancel", shifts: 1))));
    }

    [Fact]
    public void Publishing_a_series_counts_its_events_and_shifts_and_a_single_draft_its_shifts()
    {
        Speak("en");
        Assert.Equal(
            ["4 events of the series are published, with 8 shifts in all: helpers can see and take them.", "Nobody has to be told."],
            Consequences.Of(Text, Preview("publish", events: 4, shifts: 8)));
        Assert.Equal("The event is published; it has no shifts yet.", Consequences.Of(Text, Preview("publish", shifts: 0))[0]);
        Assert.Equal("Die Veranstaltung wird mit ihren 2 Schichten veröffentlicht: Helfende sehen sie und können sich eintragen.",
            WithGerman(() => Consequences.Of(Text, Preview("publish")))[0]);
    }

    [Fact]
    public void Postponing_says_places_are_kept_and_who_is_told()
    {
        Speak("en");
        Assert.Equal(
            ["The event is postponed: its shifts close, and everyone keeps their place until it has a new time.", "1 person will be told by mail."],
            Consequences.Of(Text, Preview("postpone", told: 1)));
    }

    [Fact]
    public void Without_a_preview_the_text_says_so_instead_of_making_up_numbers()
    {
        Speak("en");
        var sentences = Consequences.Unknown(Text, "cancel");
        Assert.Equal("The event is cancelled.", sentences[0]);
        Assert.Contains("could not work out beforehand", sentences[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_shifts_cancellation_counts_the_people_on_it_and_on_its_waitlist()
    {
        Speak("en");
        Assert.Equal(["3 people lose their place and are told by mail.", "1 person on the waitlist is told too."], Consequences.OfShiftCancel(Text, 3, 1));
        Assert.Equal(["1 person loses their place and is told by mail."], Consequences.OfShiftCancel(Text, 1, 0));
        Assert.Equal(["Nobody is on this shift or its waitlist: nobody has to be told."], Consequences.OfShiftCancel(Text, 0, 0));
        Assert.Equal(["2 Personen auf der Warteliste werden ebenfalls benachrichtigt."], WithGerman(() => Consequences.OfShiftCancel(Text, 0, 2)));
    }

    [Fact]
    public void A_shifts_change_tells_the_people_on_it()
    {
        Speak("en");
        Assert.Equal("The 2 people on this shift will be told of the change by mail.", Consequences.OfShiftEdit(Text, 2)[0]);
        Assert.Equal("The person on this shift will be told of the change by mail.", Consequences.OfShiftEdit(Text, 1)[0]);
        Assert.Equal(["Nobody is on this shift yet: nobody has to be told."], Consequences.OfShiftEdit(Text, 0));
    }

    [Fact]
    public void The_notice_lists_each_sentence_announced_as_status_and_warns_when_it_cannot_be_undone()
    {
        var notice = Render<ConsequenceNotice>(p => p
            .Add(n => n.Sentences, Consequences.Of(Text, Preview("cancel", told: 4, released: 4)))
            .Add(n => n.Title, "Was passiert")
            .Add(n => n.Final, true));

        var box = notice.Find(".notice.consequence");
        Assert.Equal("status", box.GetAttribute("role"));
        Assert.Equal("Was passiert", notice.Find(".consequence-title").TextContent);
        Assert.Equal(
            ["Die Veranstaltung wird mit ihren 2 Schichten abgesagt.", "4 Personen werden per Mail benachrichtigt.", "4 vergebene Plätze werden freigegeben.", "Das lässt sich nicht rückgängig machen."],
            notice.FindAll("li").Select(li => li.TextContent));
    }

    private static IReadOnlyList<string> WithGerman(Func<IReadOnlyList<string>> sentences)
    {
        Speak("de");
        return sentences();
    }
}
