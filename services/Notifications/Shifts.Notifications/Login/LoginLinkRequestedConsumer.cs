using System.Globalization;
using System.Net;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;

namespace Shifts.Notifications.Login;

/// <summary>Mails the login link a person asked for, once per request however often it is delivered.</summary>
public sealed class LoginLinkRequestedConsumer(NpgsqlDataSource db, ILogger<LoginLinkRequestedConsumer> logger) : IConsumer<LoginLinkRequested>
{
    public Task Consume(ConsumeContext<LoginLinkRequested> context) =>
        db.ConsumeOnceAsync(context, nameof(LoginLinkRequestedConsumer), transaction =>
            Deliveries.EnqueueAsync(transaction, Render(context.Message, context.MessageId!.Value), context.CancellationToken), logger);

    internal static OutgoingMail Render(LoginLinkRequested message, Guid messageId)
    {
        var german = message.Locale == "de";
        var minutes = (int)Math.Round((message.ExpiresAt - DateTimeOffset.UtcNow).TotalMinutes);
        minutes = Math.Clamp(minutes, 1, 15);
        var subject = german ? "Dein Anmeldelink für Shifts" : "Your Shifts login link";
        var greeting = german ? $"Hallo {message.Name}," : $"Hello {message.Name},";
        var body = german
            ? $"mit diesem Link meldest du dich bei Shifts an. Er gilt {minutes} Minuten und nur einmal:"
            : $"use this link to log in to Shifts. It works once, within {minutes} minutes:";
        var ignore = german
            ? "Wenn du keinen Link angefordert hast, ignoriere diese Mail."
            : "If you did not ask for a link, ignore this mail.";
        var link = message.Link.AbsoluteUri;
        var text = string.Create(CultureInfo.InvariantCulture, $"{greeting}\n\n{body}\n\n{link}\n\n{ignore}\n");
        var html = string.Create(CultureInfo.InvariantCulture,
            $"<p>{WebUtility.HtmlEncode(greeting)}</p><p>{WebUtility.HtmlEncode(body)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p><p>{WebUtility.HtmlEncode(ignore)}</p>");
        return new OutgoingMail($"{messageId:N}:{message.VolunteerId:N}:login-link", "login-link", message.VolunteerId, message.Email, message.Locale, subject, text, html);
    }
}
