namespace Shifts.Notifications.Mail;

public sealed class SmtpOptions
{
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
}
