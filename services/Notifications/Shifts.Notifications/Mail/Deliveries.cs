using System.Diagnostics;
using Npgsql;

namespace Shifts.Notifications.Mail;

/// <summary>A mail to be sent: who, what, and the key that makes it happen once.</summary>
public sealed record OutgoingMail(string DedupKey, string Kind, Guid? RecipientId, string RecipientEmail, string Locale, string Subject, string BodyText, string BodyHtml);

public static class Deliveries
{
    /// <summary>The channel DeliveryDispatcher listens on; notified when a delivery commits.</summary>
    public const string Channel = "shifts_deliveries";

    /// <summary>
    /// Queues a mail in the caller's transaction. Returns false when a delivery with the same key
    /// exists already (the same message, recipient and kind were handled before).
    /// </summary>
    public static async Task<bool> EnqueueAsync(NpgsqlTransaction transaction, OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(mail);
        const string sql = """
            INSERT INTO deliveries (id, dedup_key, kind, recipient_id, recipient_email, locale, subject, body_text, body_html, trace_parent)
            VALUES (@id, @key, @kind, @recipientId, @email, @locale, @subject, @text, @html, @traceParent)
            ON CONFLICT (dedup_key) DO NOTHING;
            """;
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("key", mail.DedupKey);
        command.Parameters.AddWithValue("kind", mail.Kind);
        command.Parameters.AddWithValue("recipientId", (object?)mail.RecipientId ?? DBNull.Value);
        command.Parameters.AddWithValue("email", mail.RecipientEmail);
        command.Parameters.AddWithValue("locale", mail.Locale);
        command.Parameters.AddWithValue("subject", mail.Subject);
        command.Parameters.AddWithValue("text", mail.BodyText);
        command.Parameters.AddWithValue("html", mail.BodyHtml);
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (inserted)
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', '')", transaction.Connection, transaction);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        return inserted;
    }
}
