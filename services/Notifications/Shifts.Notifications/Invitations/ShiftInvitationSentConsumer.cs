using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.Invitations;

/// <summary>
/// Handles ShiftInvitationSent from the events service, on the queue notifications-shift-invitation-sent.
/// <para>
/// A coordinator asked a member to take a shift: the member gets one mail in their language naming
/// the event, the shift, the place and the local time, the coordinator and their own words, until
/// when the invitation holds, and two links into the web app's answer page ("I'll take it", "not
/// this time"; the page asks for the tap, a link alone answers nothing). The mail is keyed by the
/// invitation (not only the transport message), so an invitation published twice is mailed once.
/// An invitation that lapsed before it could be mailed is recorded as suppressed, without its body.
/// </para>
/// </summary>
public sealed class ShiftInvitationSentConsumer(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<ShiftInvitationSentConsumer> logger)
    : IConsumer<ShiftInvitationSent>
{
    private readonly AppLinks _links = AppLinks.From(configuration);

    public Task Consume(ConsumeContext<ShiftInvitationSent> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(ShiftInvitationSentConsumer), async tx =>
        {
            // Erased: nothing is sent. Not known yet: RequireAsync throws and the message is retried.
            if (await Recipient.RequireAsync(tx, m.VolunteerId, context.CancellationToken) is not { } recipient)
            {
                return;
            }

            var now = time.GetUtcNow();
            var org = await Organisation.FindAsync(tx, m.Shift.Org, context.CancellationToken);
            var mail = Render(m, org, recipient, _links);
            await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{m.InvitationId:N}:{recipient.Id:N}:{MailKind.ShiftInvitation}", MailKind.ShiftInvitation,
                recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html)
            {
                Org = m.Shift.Org,
                SuppressedBecause = m.ExpiresAt <= now ? "invitation expired before it was mailed" : null,
            }, now, context.CancellationToken);
        }, logger);
    }

    /// <summary>The invitation mail: the shift's values, who asks and in which words, until when, and the two answer links.</summary>
    internal static RenderedMail Render(ShiftInvitationSent invitation, Organisation org, Recipient recipient, AppLinks links)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        ArgumentNullException.ThrowIfNull(org);
        var language = recipient.Language;
        var values = ShiftValues.For(invitation.Shift, org, recipient, links);
        values["invitedBy"] = invitation.InvitedByName;
        values["expires"] = LocalTimes.Instant(invitation.ExpiresAt, org.TimeZone, language);
        values["acceptLink"] = links.Invitation(invitation.Token, "accept");
        values["declineLink"] = links.Invitation(invitation.Token, "decline");
        values["message"] = string.IsNullOrWhiteSpace(invitation.Message)
            ? MailBlock.Empty
            : MailTemplates.Block("invitation-message", language, new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["invitedBy"] = invitation.InvitedByName,
                ["words"] = MailTemplates.Written(invitation.Message.Trim()),
            });
        return MailTemplates.Render(MailKind.ShiftInvitation, language, values);
    }
}
