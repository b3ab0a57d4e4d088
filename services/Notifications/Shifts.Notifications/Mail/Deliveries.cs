using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Notifications.Mail;

/// <summary>A file sent with a mail, e.g. the .ics of a confirmed claim.</summary>
public sealed record MailAttachment(string FileName, string ContentType, string Content);

/// <summary>A mail to be sent: who, what, and the key that makes it happen once.</summary>
public sealed record OutgoingMail(string DedupKey, string Kind, Guid? RecipientId, string RecipientEmail, string Locale, string Subject, string BodyText, string BodyHtml)
{
    /// <summary>The organisation the mail is about, so its coordinators see the delivery; null for login links.</summary>
    public string? Org { get; init; }

    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];

    /// <summary>When the row is to lose address and subject (a confirmation mail, once its link expired); null: kept.</summary>
    public DateTimeOffset? ForgetAt { get; init; }

    /// <summary>Set when the person does not want this kind of mail: the delivery is recorded as suppressed and never sent.</summary>
    public string? SuppressedBecause { get; init; }
}

/// <summary>
/// The <c>deliveries</c> table is a second outbox, for mail: beside outbox_messages (Shifts.Messaging,
/// integration events to RabbitMQ; this service has the table but publishes nothing through it),
/// it carries mails to the SMTP server. What it guarantees:
/// <list type="bullet">
/// <item>A delivery is written in the transaction of the effect that asks for it — a consumer's,
/// together with its inbox row, or the reminder scheduler's, together with the reminder marked
/// done — so a mail is queued exactly when its cause commits; the unique dedup_key (message,
/// recipient, kind) keeps a repeated cause from queueing it twice.</item>
/// <item>The <see cref="DeliveryDispatcher"/> (its relay) sends every pending row at least once
/// while the server answers 4xx or is away (up to <see cref="DeliveryRetry.MaxAttempts"/> attempts);
/// a 5xx refusal fails the row for good, with the reason in the delivery log.</item>
/// <item>To the SMTP server a delivery goes once, with one exception. A dispatcher that dies before
/// the end of a message's data has sent nothing (the server discards it) and the row is sent again;
/// one that dies after its end-of-data mark is not sent again (the row is failed: perhaps lost,
/// never doubled). What stays open is the server's answer to the end of the data, one round trip:
/// a connection that breaks exactly then, while the dispatcher lives, counts as a transient failure
/// and the mail is sent again — a possible duplicate, which the stable Message-ID lets mail clients
/// recognise (see SmtpSender.EndOfDataMarker).</item>
/// </list>
/// </summary>
public static class Deliveries
{
    /// <summary>The wake-up DeliveryDispatcher waits on (see CommitWakeup): signalled when a transaction that queued a mail commits.</summary>
    public const string Channel = "shifts_deliveries";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string InsertSql = """
        INSERT INTO deliveries (id, dedup_key, kind, recipient_id, recipient_email, locale, subject, body_text, body_html,
                                attachments, org, status, last_error, trace_parent, next_attempt_at, created_at, forget_at)
        VALUES (@id, @key, @kind, @recipientId, @email, @locale, @subject, @text, @html,
                @attachments, @org, @status, @error, @traceParent, @now, @now, @forgetAt)
        ON CONFLICT (dedup_key) DO NOTHING
        """;

    /// <summary>
    /// Queues a mail in the caller's transaction, due at <paramref name="now"/> (the service's
    /// TimeProvider, so that tests controlling time control sending too). Returns false when a
    /// delivery with the same key exists already (the same message, recipient and kind were
    /// handled before).
    /// </summary>
    public static async Task<bool> EnqueueAsync(NpgsqlTransaction transaction, OutgoingMail mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return await EnqueueManyAsync(transaction, [mail], now, cancellationToken) == 1;
    }

    /// <summary>
    /// Queues several mails in the caller's transaction in one round trip (a batch of inserts; the
    /// dispatchers of this process are woken after the commit); returns how many were new (the
    /// others' keys exist).
    /// </summary>
    public static async Task<int> EnqueueManyAsync(NpgsqlTransaction transaction, IReadOnlyCollection<OutgoingMail> mails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(mails);
        if (mails.Count == 0)
        {
            return 0;
        }

        // Raw Npgsql: one NpgsqlBatch (all inserts in one round trip), which Dapper cannot send.
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var mail in mails)
        {
            batch.BatchCommands.Add(Insert(mail, now));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);

        // A wake-up for the dispatchers once the transaction commits (not a NOTIFY: see
        // CommitWakeup); one that finds only a known key costs them one look.
        if (mails.Any(m => m.SuppressedBecause is null))
        {
            CommitWakeup.After(transaction, Channel);
        }

        var inserted = 0;
        for (var i = 0; i < mails.Count; i++)
        {
            inserted += batch.BatchCommands[i].RecordsAffected == 1 ? 1 : 0;
        }

        return inserted;
    }

    private static NpgsqlBatchCommand Insert(OutgoingMail mail, DateTimeOffset now)
    {
        var suppressed = mail.SuppressedBecause is not null;
        var command = new NpgsqlBatchCommand(InsertSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7(now));
        command.Parameters.AddWithValue("key", mail.DedupKey);
        command.Parameters.AddWithValue("kind", mail.Kind);
        command.Parameters.AddWithValue("recipientId", (object?)mail.RecipientId ?? DBNull.Value);
        command.Parameters.AddWithValue("email", mail.RecipientEmail);
        command.Parameters.AddWithValue("locale", mail.Locale);
        command.Parameters.AddWithValue("subject", mail.Subject);
        // A suppressed mail is never sent, so its body is not kept.
        command.Parameters.AddWithValue("text", suppressed ? DBNull.Value : mail.BodyText);
        command.Parameters.AddWithValue("html", suppressed ? DBNull.Value : mail.BodyHtml);
        command.Parameters.AddWithValue("attachments", NpgsqlDbType.Jsonb,
            suppressed || mail.Attachments.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(mail.Attachments, Json));
        command.Parameters.AddWithValue("org", (object?)mail.Org ?? DBNull.Value);
        command.Parameters.AddWithValue("status", suppressed ? DeliveryStatus.Suppressed : DeliveryStatus.Pending);
        command.Parameters.AddWithValue("error", (object?)mail.SuppressedBecause ?? DBNull.Value);
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("forgetAt", NpgsqlDbType.TimestampTz, (object?)mail.ForgetAt ?? DBNull.Value);
        return command;
    }

    internal static IReadOnlyList<MailAttachment> ReadAttachments(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<MailAttachment>>(json, Json) ?? [];
}
