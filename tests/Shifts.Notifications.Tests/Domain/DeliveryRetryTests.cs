using System.Net.Sockets;
using MailKit.Net.Smtp;
using MimeKit;
using Shifts.Notifications.Mail;

namespace Shifts.Notifications.Tests.Domain;

/// <summary>
/// A delivery that failed: whether it is tried again (a 4xx or a server away: yes; a 5xx or no
/// address: never), after how long (DeliveryRetry), and what the delivery log says.
/// </summary>
public sealed class DeliveryRetryTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(12, 300)]
    public void The_wait_doubles_from_two_seconds_up_to_five_minutes(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeliveryRetry.Backoff(attempts));

    [Fact]
    public void A_transient_fault_is_retried_until_the_twelfth_attempt_which_is_final()
    {
        Assert.Equal(12, DeliveryRetry.MaxAttempts);
        Assert.All(Enumerable.Range(1, 11), attempts => Assert.False(DeliveryRetry.IsFinal(transient: true, attempts)));
        Assert.True(DeliveryRetry.IsFinal(transient: true, 12));

        // The waits between the twelve attempts add up to about half an hour of outage ridden out.
        var ridden = TimeSpan.FromTicks(Enumerable.Range(1, 11).Sum(a => DeliveryRetry.Backoff(a).Ticks));
        Assert.Equal(TimeSpan.FromSeconds(1410), ridden);
    }

    [Fact]
    public void A_refusal_that_is_not_transient_is_final_at_once() =>
        Assert.True(DeliveryRetry.IsFinal(transient: false, attempts: 1));

    [Fact]
    public void Replies_in_4xx_and_connection_trouble_are_transient_and_5xx_is_not()
    {
        Assert.True(SmtpSender.IsTransient(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, "try later")));
        Assert.True(SmtpSender.IsTransient(new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.ServiceNotAvailable, "closing")));
        Assert.False(SmtpSender.IsTransient(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user")));
        Assert.True(SmtpSender.IsTransient(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(SmtpSender.IsTransient(new InvalidOperationException("wrapped", new IOException("reset"))));
        Assert.True(SmtpSender.IsTransient(new OperationCanceledException()));
        Assert.False(SmtpSender.IsTransient(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void The_delivery_log_reason_names_the_reply_or_the_bad_address_in_at_most_500_characters()
    {
        Assert.Equal("SMTP 550: no such user",
            SmtpSender.Describe(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user")));

        var notAnAddress = Assert.Throws<ParseException>(() => MailboxAddress.Parse("not an address"));
        Assert.False(SmtpSender.IsTransient(notAnAddress));
        Assert.StartsWith("the address is not a valid e-mail address: ", SmtpSender.Describe(notAnAddress), StringComparison.Ordinal);

        Assert.Equal(500, SmtpSender.Describe(new IOException(new string('x', 800))).Length);
    }

    [Theory]
    [InlineData(DeliveryStatus.Sending, DeliveryStatus.Pending)]
    [InlineData(DeliveryStatus.Pending, DeliveryStatus.Pending)]
    [InlineData(DeliveryStatus.Sent, DeliveryStatus.Sent)]
    [InlineData(DeliveryStatus.Failed, DeliveryStatus.Failed)]
    [InlineData(DeliveryStatus.Suppressed, DeliveryStatus.Suppressed)]
    public void Readers_see_a_mail_being_sent_as_pending(string stored, string shown) =>
        Assert.Equal(shown, DeliveryStatus.Public(stored));

    [Fact]
    public void The_in_place_retry_of_a_blip_is_checked_with_the_other_SMTP_settings()
    {
        Assert.True(SmtpOptions.IsValid(new SmtpOptions()));
        Assert.Equal(2, new SmtpOptions().SendRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), new SmtpOptions().SendRetryDelay);
        Assert.True(SmtpOptions.IsValid(new SmtpOptions { SendRetries = 0, SendRetryDelay = TimeSpan.Zero }));
        Assert.False(SmtpOptions.IsValid(new SmtpOptions { SendRetries = 11 }));
        Assert.False(SmtpOptions.IsValid(new SmtpOptions { SendRetries = -1 }));
        Assert.False(SmtpOptions.IsValid(new SmtpOptions { SendRetryDelay = TimeSpan.FromSeconds(11) }));
        Assert.False(SmtpOptions.IsValid(new SmtpOptions { Connections = 0 }));
        Assert.Contains("Smtp:SendRetries", SmtpOptions.Rule, StringComparison.Ordinal);
    }
}
