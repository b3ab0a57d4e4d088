using System.Diagnostics;
using System.Net.Sockets;
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
/// share the work and never send the same row. A short Polly retry rides out a blip; a longer
/// SMTP outage leaves the rows pending with a growing next_attempt_at, and they all go out when the
/// server is back.
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
    /// A row left in 'sending' this long belongs to a dispatcher that died mid-send. Whether the
    /// server got the mail is unknowable, so it is marked failed (visible to coordinators) rather
    /// than sent again: a duplicate is the one thing we promise never to do.
    /// </summary>
    private static readonly TimeSpan InterruptedAfter = TimeSpan.FromMinutes(2);

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

        await listening;
    }

    /// <summary>Claims and sends one batch of due deliveries; returns how many it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        const string claim = """
            UPDATE deliveries d
            SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = @now
            FROM (
                SELECT id FROM deliveries
                WHERE status = 'pending' AND next_attempt_at <= @now
                ORDER BY next_attempt_at
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE d.id = due.id
            RETURNING d.id, d.recipient_email, d.subject, d.body_text, d.body_html, d.trace_parent, d.attempts
            """;
        var batch = new List<Claimed>();
        await using (var command = dataSource.CreateCommand(claim))
        {
            command.Parameters.AddWithValue("now", time.GetUtcNow());
            command.Parameters.AddWithValue("batch", BatchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Add(new Claimed(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? "" : reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6)));
            }
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        using var client = new SmtpClient();
        foreach (var delivery in batch)
        {
            ActivityContext.TryParse(delivery.TraceParent, null, out var parent);
            using var activity = ShiftsTelemetry.Source.StartActivity("smtp send", ActivityKind.Client, parent);
            try
            {
                await _smtpRetry.ExecuteAsync(async token =>
                {
                    await EnsureConnectedAsync(client, token);
                    await client.SendAsync(Compose(delivery), token);
                }, cancellationToken);
                await MarkSentAsync(delivery.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                await MarkFailedAttemptAsync(delivery, ex, cancellationToken);
                if (IsTransient(ex))
                {
                    // The server is away: leave the rest of the batch for the next round.
                    await ReleaseAsync(batch.SkipWhile(d => d.Id != delivery.Id).Skip(1).Select(d => d.Id).ToArray(), cancellationToken);
                    break;
                }
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }

        return batch.Count;
    }

    private async Task EnsureConnectedAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        var smtp = smtpOptions.Value;
        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
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
        message.Body = new BodyBuilder { TextBody = delivery.BodyText, HtmlBody = delivery.BodyHtml }.ToMessageBody();
        return message;
    }

    private async Task MarkSentAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = 'sent', sent_at = @now, body_text = NULL, body_html = NULL, last_error = NULL
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task MarkFailedAttemptAsync(Claimed delivery, Exception ex, CancellationToken cancellationToken)
    {
        var permanent = !IsTransient(ex) || delivery.Attempts >= MaxAttempts;
        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, delivery.Attempts)));
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = @status, last_error = @error, next_attempt_at = @next
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("status", permanent ? "failed" : "pending");
        command.Parameters.AddWithValue("error", ex.Message.Length > 500 ? ex.Message[..500] : ex.Message);
        command.Parameters.AddWithValue("next", time.GetUtcNow() + backoff);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        LogSendFailed(logger, delivery.Id, permanent ? "failed for good" : $"retry in {backoff.TotalSeconds:0}s", ex.Message);
    }

    private async Task ReleaseAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries SET status = 'pending', attempts = attempts - 1 WHERE id = ANY(@ids) AND status = 'sending'
            """);
        command.Parameters.AddWithValue("ids", ids);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE deliveries
            SET status = 'failed', last_error = 'interrupted while sending; not sent again to avoid a duplicate'
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
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    public override void Dispose()
    {
        _wakeup.Dispose();
        base.Dispose();
    }

    private sealed record Claimed(Guid Id, string RecipientEmail, string Subject, string BodyText, string BodyHtml, string? TraceParent, int Attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} not sent ({Outcome}): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, Guid deliveryId, string outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail dispatcher cannot reach the database: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
