using System.Globalization;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.Login;

/// <summary>
/// Handles LoginLinkRequested from the volunteers service, on the queue notifications-login-link-requested.
/// <para>
/// Mails the login link a person asked for, once per request however often it is delivered. The
/// message carries address and language itself: a person who just signed up may not have reached
/// the recipients replica yet.
/// </para>
/// </summary>
public sealed class LoginLinkRequestedConsumer(NpgsqlDataSource db, TimeProvider time, ILogger<LoginLinkRequestedConsumer> logger) : IConsumer<LoginLinkRequested>
{
    public Task Consume(ConsumeContext<LoginLinkRequested> context) =>
        db.ConsumeOnceAsync(context, nameof(LoginLinkRequestedConsumer), async tx =>
        {
            // A link asked for just before the person was erased is not mailed after it.
            if (await Recipient.IsErasedAsync(tx, context.Message.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var now = time.GetUtcNow();
            await Deliveries.EnqueueAsync(tx, Render(context.Message, context.MessageId!.Value, now), now, context.CancellationToken);
        }, logger);

    internal static OutgoingMail Render(LoginLinkRequested message, Guid messageId, DateTimeOffset now)
    {
        var language = MailTemplates.Language(message.Locale);
        var minutes = Math.Clamp((int)Math.Round((message.ExpiresAt - now).TotalMinutes), 1, 15);
        var mail = MailTemplates.Render(MailKind.LoginLink, language, new Dictionary<string, object>
        {
            ["name"] = message.Name,
            ["link"] = message.Link.AbsoluteUri,
            ["minutes"] = minutes.ToString(CultureInfo.InvariantCulture),
        });
        return new OutgoingMail($"{messageId:N}:{message.VolunteerId:N}:{MailKind.LoginLink}", MailKind.LoginLink, message.VolunteerId, message.Email, language,
            mail.Subject, mail.Text, mail.Html);
    }
}
