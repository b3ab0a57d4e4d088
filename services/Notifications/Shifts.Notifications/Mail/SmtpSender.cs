using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Retry;

namespace Shifts.Notifications.Mail;

/// <summary>
/// Hands one claimed delivery to the SMTP server over a connection kept for the batch: composes the
/// message, connects (DATA, never BDAT, and TCP without Nagle), rides out a blip with a short Polly
/// retry, and marks the end of the data in the queue just before MailKit writes it.
/// </summary>
public sealed class SmtpSender(IOptions<SmtpOptions> options)
{
    /// <summary>How long one mail may take to hand over; deliberately not the stopping token (see DeliveryDispatcher.DispatchBatchAsync).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(60);

    private readonly ResiliencePipeline _smtpBlipRetry = BlipRetry(options.Value);

    /// <summary>
    /// Sends <paramref name="delivery"/> on <paramref name="client"/> (connecting it if need be).
    /// <paramref name="markEndOfData"/> is called after the last byte of the body and before the
    /// end of the DATA; it returns false when the row is no longer this dispatcher's, and the
    /// message is then abandoned before its end (<see cref="DeliveryTakenOverException"/>).
    /// </summary>
    public async Task SendAsync(SmtpClient client, ClaimedDelivery delivery, Func<ClaimedDelivery, bool> markEndOfData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var message = Compose(delivery);
        var endOfData = new EndOfDataMarker(delivery, markEndOfData);
        await _smtpBlipRetry.ExecuteAsync(async token =>
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
        }, cancellationToken);
    }

    /// <summary>The short in-place retry of one send (Smtp:SendRetries, Smtp:SendRetryDelay; checked at start).</summary>
    private static ResiliencePipeline BlipRetry(SmtpOptions smtp)
    {
        var builder = new ResiliencePipelineBuilder();
        if (smtp.SendRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = smtp.SendRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = smtp.SendRetryDelay,
                UseJitter = true,
            });
        }

        return builder.Build();
    }

    /// <summary>Ends the batch's connection politely.</summary>
    public static async Task QuitAsync(SmtpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsConnected)
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, quit.Token);
        }
    }

    /// <summary>Connection trouble and 4xx replies are worth another try; 5xx replies are final.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException => true,
        OperationCanceledException => true, // the send timed out
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>The reason kept in last_error (and shown in the delivery log), at most 500 characters.</summary>
    public static string Describe(Exception ex)
    {
        var message = ex switch
        {
            SmtpCommandException command => $"SMTP {(int)command.StatusCode}: {command.Message}",
            ParseException => $"the address is not a valid e-mail address: {ex.Message}",
            _ => ex.Message,
        };
        return message.Length > 500 ? message[..500] : message;
    }

    private async Task EnsureConnectedAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        var smtp = options.Value;
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

    private MimeMessage Compose(ClaimedDelivery delivery)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
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
    /// The point of no return of an SMTP send. A server keeps a message only once its DATA has
    /// ended (the line with a single "."), so a dispatcher that dies before that point has sent
    /// nothing, and its row can be sent again; after it, the server may have the mail. MailKit
    /// reports the progress of the message body as it writes it, and writes the end of the DATA
    /// only after the last report: the last report (all bytes of the body) marks the row
    /// (send_started_at). The CHUNKING extension (BDAT) has no such end, so it is switched off
    /// (EnsureConnectedAsync). What remains unknowable after a crash is the time from this
    /// mark's commit to the server's answer: about one round trip.
    /// </summary>
    private sealed class EndOfDataMarker(ClaimedDelivery delivery, Func<ClaimedDelivery, bool> mark) : ITransferProgress
    {
        public void Report(long bytesTransferred, long totalSize)
        {
            if (bytesTransferred >= totalSize && !mark(delivery))
            {
                throw new DeliveryTakenOverException();
            }
        }

        // MailKit always knows the size when it reports progress for a send; without it there is
        // no last report to wait for, and the row stays unmarked (sent again after a crash).
        public void Report(long bytesTransferred)
        {
        }
    }
}

/// <summary>Another dispatcher took the row back while this one stalled; the message was abandoned before its end.</summary>
internal sealed class DeliveryTakenOverException() : Exception("another dispatcher took this delivery back");
