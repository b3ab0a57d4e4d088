using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Shifts.Web.Components.Personal;
using Shifts.Web.Localization;

namespace Shifts.Web.Tests.Personal;

/// <summary>The mails sent to a person, in words: what they were about and what became of them.</summary>
public sealed class NotificationWordsTests : ComponentTest
{
    private IStringLocalizer<MeText> M => Services.GetRequiredService<IStringLocalizer<MeText>>();

    [Fact]
    public void Known_kinds_and_states_are_said_in_words_and_an_unknown_kind_is_left_to_the_subject()
    {
        Assert.Equal("Erinnerung", NotificationWords.Kind(M, "reminder"));
        Assert.Equal("Schicht bestätigt", NotificationWords.Kind(M, "claim-confirmed"));
        Assert.Equal("Für eine Schicht eingeteilt", NotificationWords.Kind(M, "claim-assigned"));
        Assert.Equal("Einladung zu einer Schicht", NotificationWords.Kind(M, "shift-invitation"));
        Assert.Equal("Nachricht zu einer Veranstaltung", NotificationWords.Kind(M, "event-message"));
        Assert.Null(NotificationWords.Kind(M, "something-new"));
        Assert.Equal("Nicht zugestellt", NotificationWords.Status(M, "failed"));
        Assert.Equal("Nicht verschickt", NotificationWords.Status(M, "suppressed"));
        Assert.Equal("bounced", NotificationWords.Status(M, "bounced"));
    }

    [Fact]
    public void Sent_is_green_failed_red_and_pending_amber()
    {
        Assert.Equal(["ok", "danger", "warn", ""], new[] { "sent", "failed", "pending", "suppressed" }.Select(NotificationWords.StatusClass));
    }
}
