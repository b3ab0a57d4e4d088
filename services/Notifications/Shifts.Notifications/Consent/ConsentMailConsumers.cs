using System.Globalization;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

namespace Shifts.Notifications.Consent;

/// <summary>
/// Handles MembershipConfirmationRequested, MembershipEnded, EmailChangeRequested, EmailChanged and VolunteerRegistered from the volunteers service, on the queue notifications-consent-mail-consumers.
/// <para>
/// The mails of consent: "confirm that you want to join" (or, for a member, "you are one already"),
/// "you left" / "you were removed", "confirm your new address" and "your address changed". Each
/// message carries the address itself: the person asked about may not exist anywhere yet, and the
/// new address of a change is not theirs until confirmed.
/// </para>
/// <para>
/// The confirmation mails are not part of any organisation's delivery log (Org null): until the
/// click the organisation sees nothing. They belong to a recipient only once one has the address
/// (at once for a known person, on VolunteerRegistered for a new one, so erasure finds them).
/// Their delivery rows carry ForgetAt, the link's expiry, after which
/// <see cref="ConsentMailHousekeeping"/> anonymises them.
/// </para>
/// </summary>
public sealed class ConsentMailConsumers(NpgsqlDataSource db, TimeProvider time, ILogger<ConsentMailConsumers> logger)
    : IConsumer<MembershipConfirmationRequested>, IConsumer<MembershipEnded>, IConsumer<EmailChangeRequested>, IConsumer<EmailChanged>, IConsumer<VolunteerRegistered>
{
    private const string Name = nameof(ConsentMailConsumers);

    private const string ConfirmationKinds = $"('{MailKind.MembershipConfirm}', '{MailKind.AlreadyMember}')";

    public Task Consume(ConsumeContext<MembershipConfirmationRequested> context) =>
        db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            // A person known here owns the mail (their notifications list, export and erasure see it);
            // an address nobody has is nobody's, and the row forgets it when the link expires.
            var owner = await RecipientIdAsync(tx, context.Message.Email, context.CancellationToken);
            var mail = Render(context.Message, context.MessageId!.Value, now) with { RecipientId = owner };
            await Deliveries.EnqueueAsync(tx, mail, now, context.CancellationToken);
        }, logger);

    /// <summary>
    /// A person who confirmed is registered now: the confirmation mail they got before they existed
    /// becomes theirs, so that an erasure finds it. If they were erased already (the erasure
    /// overtook this message), the mail is anonymised instead.
    /// </summary>
    public Task Consume(ConsumeContext<VolunteerRegistered> context) =>
        db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var m = context.Message;
            var erased = await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken);
            await tx.Connection!.ExecuteAsync(new CommandDefinition(erased
                ? $"""
                  UPDATE deliveries
                  SET recipient_email = 'erased@invalid', subject = kind, dedup_key = 'erased:' || id,
                      body_text = NULL, body_html = NULL, attachments = NULL, forget_at = NULL,
                      last_error = CASE WHEN status = '{DeliveryStatus.Pending}' THEN 'recipient erased' ELSE last_error END,
                      status = CASE WHEN status = '{DeliveryStatus.Pending}' THEN '{DeliveryStatus.Suppressed}' ELSE status END
                  WHERE recipient_id IS NULL AND lower(recipient_email) = lower(@email) AND kind IN {ConfirmationKinds}
                  """
                : $"UPDATE deliveries SET recipient_id = @id WHERE recipient_id IS NULL AND lower(recipient_email) = lower(@email) AND kind IN {ConfirmationKinds}",
                new { id = m.VolunteerId, email = m.Email }, tx, cancellationToken: context.CancellationToken));
        }, logger);

    private static Task<Guid?> RecipientIdAsync(NpgsqlTransaction tx, string email, CancellationToken cancellationToken) =>
        tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM recipients WHERE lower(email) = lower(@email) LIMIT 1", new { email }, tx, cancellationToken: cancellationToken));

    public Task Consume(ConsumeContext<MembershipEnded> context) =>
        db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var m = context.Message;
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var now = time.GetUtcNow();
            await Deliveries.EnqueueAsync(tx, Render(m, context.MessageId!.Value), now, context.CancellationToken);
        }, logger);

    public Task Consume(ConsumeContext<EmailChangeRequested> context) =>
        db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var m = context.Message;
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var now = time.GetUtcNow();
            await Deliveries.EnqueueAsync(tx, Render(m, context.MessageId!.Value, now), now, context.CancellationToken);
        }, logger);

    public Task Consume(ConsumeContext<EmailChanged> context) =>
        db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var m = context.Message;
            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var now = time.GetUtcNow();
            await Deliveries.EnqueueAsync(tx, Render(m, context.MessageId!.Value), now, context.CancellationToken);
        }, logger);

    internal static OutgoingMail Render(MembershipConfirmationRequested message, Guid messageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var language = MailTemplates.Language(message.Locale);
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = message.Name,
            ["org"] = message.OrgName,
            ["requestedBy"] = message.RequestedBy ?? "",
            ["days"] = Days(message.ExpiresAt - now),
        };
        values["askedBy"] = MailTemplates.Block(message.RequestedBy is null ? "asked-by-self" : "asked-by-coordinator", language, values);
        var kind = MailKind.MembershipConfirm;
        if (message.Link is { } link)
        {
            values["link"] = link.AbsoluteUri;
        }
        else
        {
            kind = MailKind.AlreadyMember;
        }

        var mail = MailTemplates.Render(kind, language, values);
        return new OutgoingMail($"{messageId:N}:{message.RequestId:N}:{kind}", kind, null, message.Email, language, mail.Subject, mail.Text, mail.Html)
        {
            ForgetAt = message.ExpiresAt,
        };
    }

    internal static OutgoingMail Render(MembershipEnded message, Guid messageId)
    {
        ArgumentNullException.ThrowIfNull(message);
        var language = MailTemplates.Language(message.Locale);
        var kind = message.Reason == "removed" ? MailKind.MembershipRemoved : MailKind.MembershipLeft;
        var mail = MailTemplates.Render(kind, language, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = message.Name,
            ["org"] = message.OrgName,
        });
        // The organisation's delivery log shows it, as it shows the welcome: its coordinators may
        // need to see that the person was told.
        return new OutgoingMail($"{messageId:N}:{message.VolunteerId:N}:{kind}", kind, message.VolunteerId, message.Email, language, mail.Subject, mail.Text, mail.Html)
        {
            Org = message.Org,
        };
    }

    internal static OutgoingMail Render(EmailChangeRequested message, Guid messageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var language = MailTemplates.Language(message.Locale);
        var mail = MailTemplates.Render(MailKind.EmailChangeConfirm, language, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = message.Name,
            ["link"] = message.Link.AbsoluteUri,
            ["days"] = Days(message.ExpiresAt - now),
        });
        return new OutgoingMail($"{messageId:N}:{message.VolunteerId:N}:{MailKind.EmailChangeConfirm}", MailKind.EmailChangeConfirm, message.VolunteerId, message.NewEmail, language,
            mail.Subject, mail.Text, mail.Html)
        {
            ForgetAt = message.ExpiresAt,
        };
    }

    internal static OutgoingMail Render(EmailChanged message, Guid messageId)
    {
        ArgumentNullException.ThrowIfNull(message);
        var language = MailTemplates.Language(message.Locale);
        var mail = MailTemplates.Render(MailKind.EmailChanged, language, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = message.Name,
            ["newEmail"] = message.NewEmail,
        });
        return new OutgoingMail($"{messageId:N}:{message.VolunteerId:N}:{MailKind.EmailChanged}", MailKind.EmailChanged, message.VolunteerId, message.OldEmail, language,
            mail.Subject, mail.Text, mail.Html);
    }

    /// <summary>Whole days the link still lives, at least one.</summary>
    private static string Days(TimeSpan left) =>
        Math.Max(1, (int)Math.Round(left.TotalDays)).ToString(CultureInfo.InvariantCulture);
}
