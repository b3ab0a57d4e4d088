using Shifts.Web.Api;
using Shifts.Web.Components.Personal;
using Shifts.Web.Localization;
using static Shifts.Web.Tests.Personal.PersonalData;

namespace Shifts.Web.Tests.Personal;

/// <summary>A pending invitation on /me/shifts: what it says, its two answers, and a refusal in words.</summary>
public sealed class MyInvitationCardTests : ComponentTest
{
    private IRenderedComponent<MyInvitationCard> Card(MyAgendaInvitation invitation, MyInvitationCard.Refusal? error = null, Action<Guid>? onAnswer = null) =>
        Render<MyInvitationCard>(p => p
            .Add(c => c.Invitation, invitation)
            .Add(c => c.TimeZone, Berlin)
            .Add(c => c.Error, error)
            .Add(c => c.OnAnswer, id => onAnswer?.Invoke(id)));

    private static MyAgendaInvitation Invitation(OpenShift shift) =>
        new(Guid.NewGuid(), shift, "Magst du mitmachen?", shift.StartsAt, "Carla");

    [Fact]
    public void It_names_the_shift_who_asks_the_message_and_offers_both_answers_in_one_form()
    {
        var shift = MyShift();
        var invitation = Invitation(shift);
        Guid? answered = null;
        var card = Card(invitation, onAnswer: id => answered = id);

        Assert.Equal($"/shifts/{shift.Id}", card.Find("h3 a").GetAttribute("href"));
        Assert.Equal(When.Full(shift.StartsAt, shift.EndsAt, Berlin), card.Find(".me-when").TextContent);
        Assert.Contains("Carla fragt, ob du diese Schicht übernehmen kannst.", card.Markup, StringComparison.Ordinal);
        Assert.Equal("Magst du mitmachen?", card.Find("blockquote").TextContent);
        Assert.Equal($"/me/shifts#invitation-{invitation.Id}", card.Find("form").GetAttribute("action"));
        Assert.Equal(invitation.Id.ToString(), card.Find("input[name=InvitationId]").GetAttribute("value"));
        var buttons = card.FindAll("form button[name=Answer]");
        Assert.Equal(["accept", "decline"], buttons.Select(b => b.GetAttribute("value")));
        Assert.Equal(["Ich übernehme das", "Diesmal nicht"], buttons.Select(b => b.TextContent));

        card.Find("form").Submit();
        Assert.Equal(invitation.Id, answered);
    }

    [Fact]
    public void A_refusal_is_said_instead_of_the_buttons_and_a_full_shift_links_to_its_waitlist()
    {
        var shift = MyShift();
        var card = Card(Invitation(shift), new MyInvitationCard.Refusal("Jemand war schneller.", shift.Id));

        Assert.Empty(card.FindAll("form"));
        Assert.Contains("Jemand war schneller.", card.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/shifts/{shift.Id}", card.Find("[role=alert] a").GetAttribute("href"));
    }
}
