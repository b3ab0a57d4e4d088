using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Polly;
using Polly.Retry;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Notifications.Mail;

/// <summary>
/// Sends pending deliveries over SMTP. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas
/// (and the senders within one, see SmtpOptions.Connections) share the work and never send the same row. A short Polly retry rides out a blip; a longer
/// SMTP outage leaves the rows pending with a growing next_attempt_at, and they all go out when the
/// server is back. A non-transient refusal (a 5xx reply, an address that is no address) marks the
/// row failed with the reason, which coordinators see in the organisation's delivery log.
/// </summary>
public sealed partial class DeliveryDispatcher(
    NpgsqlDataSource dataSource,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private const int MaxAttempts = 12;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A row left in 'sending' this long belongs to a dispatcher that died (see MarkInterruptedAsync).
    /// Longer than any one send may take (SendTimeout and the retries), so a live dispatcher's row
    /// is never taken from it while it sends.
    /// </summary>
    private static readonly TimeSpan InterruptedAfter = TimeSpan.FromMinutes(2);

    /// <summary>How long one mail may take to hand over; deliberately not the stopping token (see DispatchBatchAsync).</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(60);

    private readonly ChannelWakeup _wakeup = new(dataSource, Deliveries.Channel, PollInterval, logger);

    private readonly ResiliencePipeline _smtpRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = _wakeup.ListenAsync(stoppingToken);
        // Several senders, each with its own SMTP connection, claim their batches exactly as several
        // replicas do (FOR UPDATE SKIP LOCKED, a row per mail, marked before and after the send), so
        // this changes nothing about exactly-once. One sender spends most of each mail waiting for a
        // round trip (two to the database, one to the SMTP server); several overlap those waits.
        var senders = Math.Max(1, smtpOptions.Value.Connections);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SendLoopAsync(stoppingToken)));
        await listening;
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                await MarkInterruptedAsync(stoppingToken);
                sent = await DispatchBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogDatabaseAway(logger, ex.Message);
            }

            if (sent < BatchSize)
            {
                await _wakeup.WaitAsync(PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Claims and sends one batch of due deliveries; returns how many it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken stoppingToken)
    {
        var batch = await ClaimAsync(stoppingToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var remaining = new Queue<Claimed>(batch);
        using var client = new SmtpClient();
        try
        {
            // Stopping ends the batch between mails, never in the middle of one: a mail half handed
            // to the server is a mail whose fate is unknown.
            while (remaining.Count > 0 && !stoppingToken.IsCancellationRequested)
            {
                var delivery = remaining.Dequeue();
                if (!await SendOneAsync(client, delivery))
                {
                    break;
                }
            }
        }
        finally
        {
            await ReleaseAsync(remaining.Select(d => d.Id).ToArray());
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, quit.Token);
            }
        }

        return batch.Count;
    }

    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        const string claim = """
            UPDATE deliveries d
            SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = @now, send_started_at = NULL
            FROM (
                SELECT id FROM deliveries
                WHERE status = 'pending' AND next_attempt_at <= @now
                ORDER BY next_attempt_at
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE d.id = due.id
            RETURNING d.id, d.recipient_email, d.subject, d.body_text, d.body_html, d.trace_parent, d.attempts, d.attachments::text
            """;
        var batch = new List<Claimed>();
        await using var command = dataSource.CreateCommand(claim);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.AddWithValue("batch", BatchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add(new Claimed(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? "" : reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6),
                Deliveries.ReadAttachments(reader.IsDBNull(7) ? null : reader.GetString(7))));
        }

        return batch.OrderBy(d => d.Id).ToList();
    }

    /// <summary>Sends one delivery and records the outcome; false when the server is away and the batch should stop.</summary>
    private async Task<bool> SendOneAsync(SmtpClient client, Claimed delivery)
    {
        ActivityContext.TryParse(delivery.TraceParent, null, out var parent);
        using var activity = ShiftsTelemetry.Source.StartActivity("smtp send", ActivityKind.Client, parent);
        using var timeout = new CancellationTokenSource(SendTimeout);
        try
        {
            var message = Compose(delivery);
            var endOfData = new EndOfDataMarker(this, delivery);
            await _smtpRetry.ExecuteAsync(async token =>
            {
                await EnsureConnectedAsync(client, token);
                try
                {
                    await client.SendAsync(message, token, endOfData);
                }
                catch (Exception ex) when (ex is not SmtpCommandException)
                {
                    // A message abandoned in its middle must never be continued by the next one on
                    // this connection (a refused command is reset by MailKit and leaves it clean).
                    await AbandonConnectionAsync(client);
                    throw;
                }
            }, timeout.Token);
            await MarkSentAsync(delivery.Id);
            return true;
        }
        catch (Exception ex) when (Find<DeliveryTakenOverException>(ex) is not null)
        {
            // Another replica took the row back after this one stalled for minutes: the message was
            // abandoned before its end, so the server discards it, and the row is that replica's now.
            LogTakenOver(logger, delivery.Id);
            return true;
        }
        catch (Exception ex) when (Find<NpgsqlException>(ex) is { } database)
        {
            // The end-of-data marker could not be written, so the message was abandoned before its
            // end; the row stays 'sending' without a marker and is sent again (MarkInterruptedAsync).
            throw database;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await MarkFailedAttemptAsync(delivery, ex);
            // The server is away: leave the rest of the batch for the next round.
            return !IsTransient(ex);
        }
    }

    private async Task EnsureConnectedAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        var smtp = smtpOptions.Value;
        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.StartTlsWhenAvailable;
        // Our own socket, for NoDelay: MailKit leaves Nagle on, and Nagle holds the tail of a mail it
        // writes in more than one piece (measured: 4 KB yes, 3 KB no) until the server acknowledges the
        // part before, which the server delays by up to 40 ms as it has nothing to answer yet: about
        // 22 such mails/s per connection, whatever the server's speed (bench/README.md).
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(smtp.Host, smtp.Port, cancellationToken);
            await client.ConnectAsync(socket, smtp.Host, smtp.Port, security, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // BDAT has no end-of-data line before which a dispatcher's death leaves nothing at the
        // server (see EndOfDataMarker); DATA has one.
        client.Capabilities &= ~SmtpCapabilities.Chunking;

        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
    }

    private static async Task AbandonConnectionAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: false, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a connection that is already broken.
        }
    }

    private MimeMessage Compose(Claimed delivery)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtpOptions.Value.From));
        message.To.Add(MailboxAddress.Parse(delivery.RecipientEmail));
        message.Subject = delivery.Subject;
        // A stable Message-ID per delivery lets mail clients recognise a copy as the same mail.
        message.MessageId = $"{delivery.Id:N}@shifts";
        var body = new BodyBuilder { TextBody = delivery.BodyText, HtmlBody = delivery.BodyHtml };
        foreach (var attachment in delivery.Attachments)
        {
            body.Attachments.Add(attachment.FileName, Encoding.UTF8.GetBytes(attachment.Content), ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>
    /// Records that the whole message is with the server but its end not yet sent, if this
    /// dispatcher still holds the row (same attempt, still 'sending'); throws otherwise, which
    /// abandons the message before its end. Synchronous, because MailKit reports progress
    /// synchronously, and it must be committed before MailKit writes the end of the DATA.
    /// </summary>
    private void MarkEndOfData(Claimed delivery)
    {
        using var command = dataSource.CreateCommand("""
            UPDATE deliveries SET send_started_at = @now
            WHERE id = @id AND status = 'sending' AND attempts = @attempts
            """);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("attempts", delivery.Attempts);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        if (command.ExecuteNonQuery() != 1)
        {
            throw new DeliveryTakenOverException();
        }
    }

    /// <summary>
    /// The point of no return of an SMTP send. A server keeps a message only once its DATA has
    /// ended (the line with a single "."), so a dispatcher that dies before that point has sent
    /// nothing, and its row can be sent again; after it, the server may have the mail. MailKit
    /// reports the progress of the message body as it writes it, and writes the end of the DATA
    /// only after the last report: the last report (all bytes of the body) marks the row
    /// (send_started_at). The CHUNKING extension (BDAT) has no such end, so it is switched off
    /// (EnsureConnectedAsync). What remains unknowable after a crash is the time from this
    /// marker's commit to the server's answer: about one round trip.
    /// </summary>
    private sealed class EndOfDataMarker(DeliveryDispatcher dispatcher, Claimed delivery) : ITransferProgress
    {
        public void Report(long bytesTransferred, long totalSize)
        {
            if (bytesTransferred >= totalSize)
            {
                dispatcher.MarkEndOfData(delivery);
            }
        }

        // MailKit always knows the size when it reports progress for a send; without it there is
        // no last report to wait for, and the row stays unmarked (sent again after a crash).
        public void Report(long bytesTransferred)
        {
        }
    }

    private sealed class DeliveryTakenOverException() : Exception("another dispatcher took this delivery back");

    private static T? Find<T>(Exception ex) where T : Exception
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private async Task MarkSentAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = 'sent', sent_at = @now, body_text = NULL, body_html = NULL, attachments = NULL, last_error = NULL
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task MarkFailedAttemptAsync(Claimed delivery, Exception ex)
    {
        var permanent = !IsTransient(ex) || delivery.Attempts >= MaxAttempts;
        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, delivery.Attempts)));
        // A failed mail keeps no body either: nobody will send it, and a login link must not linger.
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = @status, last_error = @error, next_attempt_at = @next, send_started_at = NULL,
                body_text = CASE WHEN @status = 'failed' THEN NULL ELSE body_text END,
                body_html = CASE WHEN @status = 'failed' THEN NULL ELSE body_html END,
                attachments = CASE WHEN @status = 'failed' THEN NULL ELSE attachments END
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("status", permanent ? "failed" : "pending");
        command.Parameters.AddWithValue("error", Describe(ex));
        command.Parameters.AddWithValue("next", time.GetUtcNow() + backoff);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        LogSendFailed(logger, delivery.Id, permanent ? "failed for good" : $"retry in {backoff.TotalSeconds:0}s", ex.Message);
    }

    private static string Describe(Exception ex)
    {
        var message = ex switch
        {
            SmtpCommandException command => $"SMTP {(int)command.StatusCode}: {command.Message}",
            ParseException => $"the address is not a valid e-mail address: {ex.Message}",
            _ => ex.Message,
        };
        return message.Length > 500 ? message[..500] : message;
    }

    /// <summary>Gives rows this dispatcher claimed but never handed to the server back to the queue.</summary>
    private async Task ReleaseAsync(Guid[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }

        try
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE deliveries SET status = 'pending', attempts = attempts - 1
                WHERE id = ANY(@ids) AND status = 'sending' AND send_started_at IS NULL
                """);
            command.Parameters.AddWithValue("ids", ids);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // They stay 'sending' without a send marker, and MarkInterruptedAsync returns them later.
            LogDatabaseAway(logger, ex.Message);
        }
    }

    /// <summary>
    /// Rows a dispatcher claimed and then abandoned (its process died). Its message never ended
    /// (no end-of-data marker): the server discarded it, so the row goes back to the queue. Ended:
    /// whether the server kept the mail (most likely: the marker is written just before the end)
    /// is unknowable, so the row is marked failed (visible to coordinators) rather than sent again.
    /// </summary>
    private async Task MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = CASE WHEN send_started_at IS NULL THEN 'pending' ELSE 'failed' END,
                attempts = CASE WHEN send_started_at IS NULL THEN attempts - 1 ELSE attempts END,
                last_error = CASE WHEN send_started_at IS NULL THEN last_error
                                  ELSE 'interrupted between the end of the mail and the server''s answer; not sent again to avoid a duplicate' END,
                body_text = CASE WHEN send_started_at IS NULL THEN body_text END,
                body_html = CASE WHEN send_started_at IS NULL THEN body_html END,
                attachments = CASE WHEN send_started_at IS NULL THEN attachments END
            WHERE status = 'sending' AND next_attempt_at < @before
            """);
        command.Parameters.AddWithValue("before", time.GetUtcNow() - InterruptedAfter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Connection trouble and 4xx replies are worth another try; 5xx replies are final.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException => true,
        OperationCanceledException => true, // the send timed out
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    public override void Dispose()
    {
        _wakeup.Dispose();
        base.Dispose();
    }

    private sealed record Claimed(Guid Id, string RecipientEmail, string Subject, string BodyText, string BodyHtml, string? TraceParent, int Attempts, IReadOnlyList<MailAttachment> Attachments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} not sent ({Outcome}): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, Guid deliveryId, string outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was taken back by another dispatcher before its end; left to it")]
    private static partial void LogTakenOver(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail dispatcher cannot reach the database: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
