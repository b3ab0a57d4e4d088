using System.Diagnostics;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Npgsql;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Notifications.Mail;

/// <summary>
/// The relay of the deliveries outbox (see Deliveries): sends pending deliveries over SMTP.
/// Rows are claimed from the <see cref="DeliveryQueue"/>, so replicas (and the senders within one,
/// see SmtpOptions.Connections) share the work and never send the same row. A short Polly retry in
/// the <see cref="SmtpSender"/> rides out a blip; a longer SMTP outage leaves the rows pending with
/// a growing next_attempt_at (<see cref="DeliveryRetry"/>), and they all go out when the server is
/// back. A non-transient refusal (a 5xx reply, an address that is no address) marks the row failed
/// with the reason, which coordinators see in the organisation's delivery log.
/// </summary>
public sealed partial class DeliveryDispatcher(
    NpgsqlDataSource dataSource,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>How often a sender looks for work nobody woke it for (queued by another replica, or due after a back-off).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly DeliveryQueue _queue = new(dataSource, time);
    private readonly SmtpSender _sender = new(smtpOptions);
    private readonly CommitWakeup _wakeup = new(dataSource, Deliveries.Channel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Several senders, each with its own SMTP connection, claim their batches exactly as several
        // replicas do (FOR UPDATE SKIP LOCKED, a row per mail, marked before and after the send), so
        // this changes nothing about exactly-once. One sender spends most of each mail waiting for a
        // round trip (two to the database, one to the SMTP server); several overlap those waits.
        var senders = Math.Max(1, smtpOptions.Value.Connections);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SendLoopAsync(stoppingToken)));
    }

    /// <summary>
    /// A poll loop, not a retry loop: a round that meets a database outage sends nothing and the
    /// next round comes after the usual wait, as after a round that found nothing due.
    /// </summary>
    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                await _queue.ReturnInterruptedAsync(stoppingToken);
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
        var batch = await _queue.ClaimAsync(BatchSize, stoppingToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var remaining = new Queue<ClaimedDelivery>(batch);
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
            await SmtpSender.QuitAsync(client);
        }

        return batch.Count;
    }

    /// <summary>Sends one delivery and records the outcome; false when the server is away and the batch should stop.</summary>
    private async Task<bool> SendOneAsync(SmtpClient client, ClaimedDelivery delivery)
    {
        ActivityContext.TryParse(delivery.TraceParent, null, out var parent);
        using var activity = ShiftsTelemetry.Source.StartActivity("smtp send", ActivityKind.Client, parent);
        using var timeout = new CancellationTokenSource(SmtpSender.SendTimeout);
        try
        {
            await _sender.SendAsync(client, delivery, _queue.TryMarkEndOfData, timeout.Token);
            await _queue.MarkSentAsync(delivery.Id);
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
            // The end-of-data mark could not be written, so the message was abandoned before its
            // end; the row stays 'sending' without a mark and is sent again (ReturnInterruptedAsync).
            throw database;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await MarkFailedAttemptAsync(delivery, ex);
            // The server is away: leave the rest of the batch for the next round.
            return !SmtpSender.IsTransient(ex);
        }
    }

    private async Task MarkFailedAttemptAsync(ClaimedDelivery delivery, Exception ex)
    {
        var final = DeliveryRetry.IsFinal(SmtpSender.IsTransient(ex), delivery.Attempts);
        var backoff = DeliveryRetry.Backoff(delivery.Attempts);
        await _queue.MarkFailedAttemptAsync(delivery.Id, final, SmtpSender.Describe(ex), time.GetUtcNow() + backoff);
        LogSendFailed(logger, delivery.Id, final ? "failed for good" : $"retry in {backoff.TotalSeconds:0}s", ex.Message);
    }

    private async Task ReleaseAsync(Guid[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }

        try
        {
            await _queue.ReleaseAsync(ids);
        }
        catch (NpgsqlException ex)
        {
            // They stay 'sending' without an end-of-data mark, and ReturnInterruptedAsync returns them later.
            LogDatabaseAway(logger, ex.Message);
        }
    }

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

    public override void Dispose()
    {
        _wakeup.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} not sent ({Outcome}): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, Guid deliveryId, string outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was taken back by another dispatcher before its end; left to it")]
    private static partial void LogTakenOver(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail dispatcher cannot reach the database: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
