using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Notifications.Tests.Delivery;

/// <summary>
/// The service mails through a proxy that reads the SMTP conversation on its way to smtp4dev and,
/// at two moments, looks at the delivery row before it lets the bytes pass: when the DATA command
/// goes out (nothing of the message is at the server yet) and when the line that ends the message
/// goes out (from then on the server keeps it).
/// </summary>
public sealed class EndOfDataFixture : NotificationsFixture
{
    private readonly ConcurrentDictionary<int, Transcript> _connections = new();

    public TcpProxy Proxy { get; private set; } = null!;

    /// <summary>Per mail, in the order the server saw them: whether the row carried the end-of-data marker at DATA and at the end.</summary>
    public ConcurrentQueue<(string Recipient, bool MarkedAtData, bool MarkedAtEnd)> Seen { get; } = new();

    protected override async Task BeforeServiceStartsAsync()
    {
        var servers = await TestServers.GetAsync();
        Proxy = Own(new TcpProxy(servers.SmtpHost, servers.SmtpPort, ObserveAsync));
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = Proxy.Port.ToString(CultureInfo.InvariantCulture);
    }

    private async Task ObserveAsync(int connection, ReadOnlyMemory<byte> piece)
    {
        var transcript = _connections.GetOrAdd(connection, _ => new Transcript());
        transcript.Pending.Append(Encoding.Latin1.GetString(piece.Span));
        while (true)
        {
            var text = transcript.Pending.ToString();
            if (transcript.InData)
            {
                // The message ends with a line holding a single dot; it was preceded by "DATA\r\n".
                var end = ("\r\n" + text).IndexOf("\r\n.\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    return;
                }

                Seen.Enqueue((transcript.Recipient, transcript.MarkedAtData, await MarkedAsync(transcript.Recipient)));
                transcript.InData = false;
                transcript.Pending.Clear().Append(text[(end + 3)..]);
                continue;
            }

            var line = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (line < 0)
            {
                return;
            }

            var command = text[..line];
            transcript.Pending.Clear().Append(text[(line + 2)..]);
            if (command.StartsWith("RCPT TO:<", StringComparison.OrdinalIgnoreCase))
            {
                transcript.Recipient = command["RCPT TO:<".Length..command.IndexOf('>', StringComparison.Ordinal)];
            }
            else if (command.Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                transcript.MarkedAtData = await MarkedAsync(transcript.Recipient);
                transcript.InData = true;
            }
        }
    }

    private async Task<bool> MarkedAsync(string recipient)
    {
        await using var command = Db.CreateCommand("SELECT coalesce(bool_or(send_started_at IS NOT NULL), false) FROM deliveries WHERE recipient_email = @r AND status = 'sending'");
        command.Parameters.AddWithValue("r", recipient);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed class Transcript
    {
        public StringBuilder Pending { get; } = new();
        public bool InData { get; set; }
        public string Recipient { get; set; } = "";
        public bool MarkedAtData { get; set; }
    }
}

/// <summary>
/// The dispatcher marks a delivery at the point of no return of SMTP, the end of the message: after
/// the server has the whole body, before the line that makes it keep the mail. A dispatcher that
/// dies before the mark has left nothing at the server and its row is sent again; only one that
/// dies between the mark and the server's answer leaves a mail whose fate is unknown.
/// </summary>
public sealed class EndOfDataTests(EndOfDataFixture fixture) : IClassFixture<EndOfDataFixture>
{
    [Fact]
    public async Task The_end_of_data_marker_is_written_after_the_DATA_command_and_before_the_end_of_the_message()
    {
        var recipients = Enumerable.Range(0, 3).Select(i => $"eod-{i}-{Guid.NewGuid():N}@notifications.test").ToList();
        foreach (var email in recipients)
        {
            await fixture.PublishAsync(new LoginLinkRequested(Guid.NewGuid(), email, "Anna", "de",
                new Uri($"{NotificationsFixture.PublicBaseUrl}/login?token={new string('a', 43)}"), DateTimeOffset.UtcNow.AddMinutes(15)));
        }

        foreach (var email in recipients)
        {
            Assert.Single(await fixture.Inbox.WaitForMailsToAsync(email));
            await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p AND status = 'sent'", email, 1);
        }

        var seen = fixture.Seen.Where(s => recipients.Contains(s.Recipient)).ToList();
        Assert.Equal(recipients.Order(), seen.Select(s => s.Recipient).Order());
        Assert.All(seen, s =>
        {
            Assert.False(s.MarkedAtData, $"the row of {s.Recipient} was marked before its message began");
            Assert.True(s.MarkedAtEnd, $"the end of {s.Recipient}'s message went out before its row was marked");
        });
    }
}
