using MailKit.Security;
using MimeKit;

namespace Shifts.Notifications.Mail;

/// <summary>The SMTP server mail leaves through (section <c>Smtp</c>), checked at start.</summary>
public sealed class SmtpOptions
{
    /// <summary>What <see cref="IsValid"/> demands, naming the settings.</summary>
    public const string Rule = "Smtp:Host must be set, Smtp:Port be 1 to 65535, Smtp:Security one of None, StartTls, StartTlsWhenAvailable, SslOnConnect, "
                               + "Smtp:From an e-mail address (\"Shifts <shifts@example.org>\"), Smtp:Connections 1 to 100, "
                               + "Smtp:SendRetries 0 to 10 and Smtp:SendRetryDelay 0 to 10 seconds.";

    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>None, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string From { get; set; } = "Shifts <shifts@localhost>";

    /// <summary>
    /// How many mails this replica sends at once, each over a connection of its own (a batch of 50
    /// per connection). Every replica opens this many, so the server must accept replicas × this.
    /// </summary>
    public int Connections { get; set; } = 4;

    /// <summary>
    /// A blip (a dropped connection, a 4xx reply) is retried in place this many times before the
    /// attempt counts as failed and the row waits for its next_attempt_at (DeliveryRetry).
    /// </summary>
    public int SendRetries { get; set; } = 2;

    /// <summary>The first wait before such a retry; it doubles, with jitter.</summary>
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public static bool IsValid(SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.Host)
               && options.Port is >= 1 and <= 65535
               && Enum.TryParse<SecureSocketOptions>(options.Security, ignoreCase: true, out var security) && Enum.IsDefined(security)
               && MailboxAddress.TryParse(options.From, out _)
               && options.Connections is >= 1 and <= 100
               && options.SendRetries is >= 0 and <= 10
               && options.SendRetryDelay >= TimeSpan.Zero && options.SendRetryDelay <= TimeSpan.FromSeconds(10);
    }
}
