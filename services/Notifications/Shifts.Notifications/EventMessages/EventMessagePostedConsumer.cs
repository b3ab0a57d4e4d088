using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.EventMessages;

/// <summary>
/// Handles EventMessagePosted from the events service, on the queue notifications-event-message-posted.
/// <para>
/// A coordinator wrote to the people of an event: each recipient the events service named gets one
/// mail in their language, subject "{event}: {subject}", the coordinator's words unchanged in the text
/// part and encoded (line breaks kept) in the HTML part, signed with the coordinator's name. The
/// mails are keyed by the coordinator's message (not only the transport message), so a message
/// published twice is mailed once. Someone erased is skipped; someone this service has not heard of
/// (yet) is skipped too rather than holding back everyone else's mail.
/// </para>
/// </summary>
public sealed class EventMessagePostedConsumer(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<EventMessagePostedConsumer> logger)
    : IConsumer<EventMessagePosted>
{
    private readonly AppLinks _links = AppLinks.From(configuration);

    public Task Consume(ConsumeContext<EventMessagePosted> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(EventMessagePostedConsumer), async tx =>
        {
            var recipients = await Recipient.FindManyAsync(tx, m.VolunteerIds.Distinct().ToList(), context.CancellationToken);
            if (recipients.Count == 0)
            {
                return;
            }

            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            var mails = recipients.Values.Select(recipient =>
            {
                var mail = Render(m, org, recipient, _links);
                return new OutgoingMail($"{m.MessageId:N}:{recipient.Id:N}:{MailKind.EventMessage}", MailKind.EventMessage,
                    recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html) { Org = m.Org };
            }).ToList();
            await Deliveries.EnqueueManyAsync(tx, mails, time.GetUtcNow(), context.CancellationToken);
        }, logger);
    }

    /// <summary>The mail to one recipient: "{event}: {subject}", the words as written, the signature, the link to the event.</summary>
    internal static RenderedMail Render(EventMessagePosted message, Organisation org, Recipient recipient, AppLinks links)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(links);
        return MailTemplates.Render(MailKind.EventMessage, recipient.Language, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = recipient.Name,
            ["org"] = org.Name,
            ["event"] = OneLine(message.EventTitle),
            ["subject"] = OneLine(message.Subject),
            ["sentBy"] = message.SentByName,
            ["words"] = MailTemplates.Written(message.Body.Trim()),
            ["link"] = links.Event(message.EventId),
        });
    }

    /// <summary>A subject is one line: line breaks someone typed become spaces.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
