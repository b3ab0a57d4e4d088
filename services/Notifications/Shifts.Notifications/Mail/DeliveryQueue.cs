using Dapper;
using Npgsql;

namespace Shifts.Notifications.Mail;

/// <summary>A delivery a dispatcher claimed: what to send, and the attempt that holds the row.</summary>
public sealed record ClaimedDelivery(Guid Id, string RecipientEmail, string Subject, string BodyText, string BodyHtml, string? TraceParent, int Attempts, IReadOnlyList<MailAttachment> Attachments);

/// <summary>
/// The <c>deliveries</c> table as the dispatchers see it: claim due rows, mark the end of a
/// message's data, mark sent or failed, and give back what was not sent. Rows are claimed with
/// FOR UPDATE SKIP LOCKED, so replicas (and the senders within one) never hold the same row.
/// Each statement commits on its own: the row's state is the dispatcher's only memory.
/// </summary>
public sealed class DeliveryQueue(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// A row left in 'sending' this long belongs to a dispatcher that died (see ReturnInterruptedAsync).
    /// Longer than any one send may take (SmtpSender.SendTimeout and its retries), so a live
    /// dispatcher's row is never taken from it while it sends.
    /// </summary>
    public static readonly TimeSpan InterruptedAfter = TimeSpan.FromMinutes(2);

    private const string InterruptedError = "interrupted between the end of the mail and the server's answer; not sent again to avoid a duplicate";

    /// <summary>Claims up to <paramref name="batchSize"/> due rows (status 'sending', one more attempt), in id order.</summary>
    public async Task<List<ClaimedDelivery>> ClaimAsync(int batchSize, CancellationToken cancellationToken)
    {
        const string claim = $"""
            UPDATE deliveries d
            SET status = '{DeliveryStatus.Sending}', attempts = d.attempts + 1, next_attempt_at = @now, send_started_at = NULL
            FROM (
                SELECT id FROM deliveries
                WHERE status = '{DeliveryStatus.Pending}' AND next_attempt_at <= @now
                ORDER BY next_attempt_at
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE d.id = due.id
            RETURNING d.id AS Id, d.recipient_email AS RecipientEmail, d.subject AS Subject, d.body_text AS BodyText,
                      d.body_html AS BodyHtml, d.trace_parent AS TraceParent, d.attempts AS Attempts, d.attachments::text AS Attachments
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(claim,
            new { now = time.GetUtcNow(), batch = batchSize }, cancellationToken: cancellationToken));
        return rows
            .Select(r => new ClaimedDelivery(r.Id, r.RecipientEmail, r.Subject, r.BodyText ?? "", r.BodyHtml ?? "", r.TraceParent, r.Attempts,
                Deliveries.ReadAttachments(r.Attachments)))
            .OrderBy(d => d.Id)
            .ToList();
    }

    /// <summary>
    /// Records that the whole message is with the server but its end not yet sent, if this
    /// dispatcher still holds the row (same attempt, still 'sending'); false otherwise. Synchronous,
    /// because MailKit reports progress synchronously, and it must be committed before MailKit
    /// writes the end of the DATA (see SmtpSender.EndOfDataMarker).
    /// </summary>
    public bool TryMarkEndOfData(ClaimedDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var connection = dataSource.OpenConnection();
        return connection.Execute($"""
            UPDATE deliveries SET send_started_at = @now
            WHERE id = @id AND status = '{DeliveryStatus.Sending}' AND attempts = @attempts
            """, new { id = delivery.Id, attempts = delivery.Attempts, now = time.GetUtcNow() }) == 1;
    }

    /// <summary>Sent: the body goes (a login link must not linger), the row stays for the delivery log.</summary>
    public async Task MarkSentAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync($"""
            UPDATE deliveries
            SET status = '{DeliveryStatus.Sent}', sent_at = @now, body_text = NULL, body_html = NULL, attachments = NULL, last_error = NULL
            WHERE id = @id
            """, new { id, now = time.GetUtcNow() });
    }

    /// <summary>
    /// A failed attempt: pending again at <paramref name="nextAttemptAt"/>, or failed for good. A
    /// failed mail keeps no body either: nobody will send it, and a login link must not linger.
    /// </summary>
    public async Task MarkFailedAttemptAsync(Guid id, bool final, string error, DateTimeOffset nextAttemptAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync($"""
            UPDATE deliveries
            SET status = @status, last_error = @error, next_attempt_at = @next, send_started_at = NULL,
                body_text = CASE WHEN @status = '{DeliveryStatus.Failed}' THEN NULL ELSE body_text END,
                body_html = CASE WHEN @status = '{DeliveryStatus.Failed}' THEN NULL ELSE body_html END,
                attachments = CASE WHEN @status = '{DeliveryStatus.Failed}' THEN NULL ELSE attachments END
            WHERE id = @id
            """, new { id, status = final ? DeliveryStatus.Failed : DeliveryStatus.Pending, error, next = nextAttemptAt });
    }

    /// <summary>Gives rows this dispatcher claimed but never handed to the server back to the queue (the attempt is not counted).</summary>
    public async Task ReleaseAsync(Guid[] ids)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync($"""
            UPDATE deliveries SET status = '{DeliveryStatus.Pending}', attempts = attempts - 1
            WHERE id = ANY(@ids) AND status = '{DeliveryStatus.Sending}' AND send_started_at IS NULL
            """, new { ids });
    }

    /// <summary>
    /// Rows a dispatcher claimed and then abandoned (its process died). Its message never ended
    /// (no end-of-data mark): the server discarded it, so the row goes back to the queue. Ended:
    /// whether the server kept the mail (most likely: the mark is written just before the end)
    /// is unknowable, so the row is marked failed (visible to coordinators) rather than sent again.
    /// </summary>
    public async Task ReturnInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE deliveries
            SET status = CASE WHEN send_started_at IS NULL THEN '{DeliveryStatus.Pending}' ELSE '{DeliveryStatus.Failed}' END,
                attempts = CASE WHEN send_started_at IS NULL THEN attempts - 1 ELSE attempts END,
                last_error = CASE WHEN send_started_at IS NULL THEN last_error ELSE @interrupted END,
                body_text = CASE WHEN send_started_at IS NULL THEN body_text END,
                body_html = CASE WHEN send_started_at IS NULL THEN body_html END,
                attachments = CASE WHEN send_started_at IS NULL THEN attachments END
            WHERE status = '{DeliveryStatus.Sending}' AND next_attempt_at < @before
            """, new { before = time.GetUtcNow() - InterruptedAfter, interrupted = InterruptedError }, cancellationToken: cancellationToken));
    }

    private sealed record ClaimedRow(Guid Id, string RecipientEmail, string Subject, string? BodyText, string? BodyHtml, string? TraceParent, int Attempts, string? Attachments);
}
