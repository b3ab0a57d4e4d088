using System.Net.Sockets;
using System.Text;

namespace Shifts.Bench.Smtp;

/// <summary>
/// One SMTP connection of the sink (RFC 5321): EHLO/HELO, MAIL FROM, RCPT TO, DATA with
/// dot-unstuffing, RSET, NOOP, QUIT, for as many mails as the client sends over it. Replies are
/// buffered and written when the client has nothing more queued, which is what PIPELINING (RFC 2920)
/// asks of a server and saves a write per command. 8BITMIME costs nothing: the body is bytes.
/// </summary>
internal sealed class SmtpSession(SmtpSink sink, Socket socket)
{
    private const string Name = "shifts-bench-sink";
    private const int MaxLine = 1 << 20;

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly MemoryStream _replies = new();
    private readonly MemoryStream _message = new();
    private readonly List<string> _recipients = [];
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _greeted;
    private string? _mailFrom;

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            Reply($"220 {Name} ESMTP");
            while (await ReadLineAsync(stopping) is { } line)
            {
                if (!await HandleAsync(Encoding.ASCII.GetString(line.Span), stopping))
                {
                    break;
                }
            }

            await FlushAsync(stopping);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the bench is stopping: nothing to answer to.
        }
        finally
        {
            await _stream.DisposeAsync();
        }
    }

    /// <summary>Answers one command; false when the connection is to be closed.</summary>
    private async Task<bool> HandleAsync(string line, CancellationToken stopping)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (verb)
        {
            case "EHLO":
                _greeted = true;
                ResetTransaction();
                Reply($"250-{Name}\r\n250-PIPELINING\r\n250 8BITMIME");
                return true;
            case "HELO":
                _greeted = true;
                ResetTransaction();
                Reply($"250 {Name}");
                return true;
            case "MAIL":
                Mail(argument);
                return true;
            case "RCPT":
                Rcpt(argument);
                return true;
            case "DATA":
                return await DataAsync(stopping);
            case "RSET":
                ResetTransaction();
                Reply("250 2.0.0 Ok");
                return true;
            case "NOOP":
                Reply("250 2.0.0 Ok");
                return true;
            case "QUIT":
                Reply($"221 2.0.0 {Name} closing connection");
                return false;
            case "VRFY":
                Reply("252 2.5.0 Cannot VRFY user, but will accept message");
                return true;
            default:
                Reply("500 5.5.2 Command not recognized");
                return true;
        }
    }

    private void Mail(string argument)
    {
        if (!_greeted)
        {
            Reply("503 5.5.1 Send EHLO or HELO first");
        }
        else if (_mailFrom is not null)
        {
            Reply("503 5.5.1 Nested MAIL command");
        }
        else if (!TryPath(argument, "FROM:", out var path, out var parameters))
        {
            Reply("501 5.5.4 Syntax: MAIL FROM:<address>");
        }
        else if (parameters.Any(p => !p.StartsWith("BODY=", StringComparison.OrdinalIgnoreCase)))
        {
            // Only BODY= (7BIT or 8BITMIME) belongs to an extension this sink advertises.
            Reply("555 5.5.4 MAIL parameters not recognized");
        }
        else
        {
            _mailFrom = path;
            Reply("250 2.1.0 Ok");
        }
    }

    private void Rcpt(string argument)
    {
        if (_mailFrom is null)
        {
            Reply("503 5.5.1 Need MAIL before RCPT");
        }
        else if (!TryPath(argument, "TO:", out var path, out _) || path.Length == 0)
        {
            Reply("501 5.5.4 Syntax: RCPT TO:<address>");
        }
        else
        {
            _recipients.Add(path);
            Reply("250 2.1.5 Ok");
        }
    }

    private async Task<bool> DataAsync(CancellationToken stopping)
    {
        if (_mailFrom is null || _recipients.Count == 0)
        {
            Reply(_mailFrom is null ? "503 5.5.1 Need MAIL command" : "554 5.5.1 No valid recipients");
            return true;
        }

        Reply("354 End data with <CR><LF>.<CR><LF>");
        _message.SetLength(0);
        while (true)
        {
            if (await ReadLineAsync(stopping) is not { } line)
            {
                return false; // the client left in the middle of the data: no mail
            }

            var span = line.Span;
            if (span.Length == 1 && span[0] == (byte)'.')
            {
                break;
            }

            // Dot-unstuffing (RFC 5321 4.5.2): a line the client began with an extra "." loses it.
            _message.Write(span.Length > 0 && span[0] == (byte)'.' ? span[1..] : span);
            _message.Write("\r\n"u8);
        }

        // The arrival time is taken before the 250, which is when the client learns the mail is accepted.
        var arrivedAt = DateTimeOffset.UtcNow;
        var recipients = _recipients.ToArray();
        var content = _message.GetBuffer().AsSpan(0, (int)_message.Length);
        var (subject, messageId) = MailHeaders.Read(content);
        sink.Record(new ReceivedMail(arrivedAt, _mailFrom, recipients, subject, messageId, content.Length,
            sink.KeepsContentFor(recipients) ? content.ToArray() : null));
        ResetTransaction();
        Reply("250 2.0.0 Ok: queued");
        return true;
    }

    /// <summary>Parses "FROM:&lt;path&gt; PARAM=…" (RFC 5321 4.1.2), leniently about spaces after the colon.</summary>
    private static bool TryPath(string argument, string prefix, out string path, out string[] parameters)
    {
        path = "";
        parameters = [];
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = argument[prefix.Length..].TrimStart();
        var close = rest.IndexOf('>', StringComparison.Ordinal);
        if (!rest.StartsWith('<') || close < 0)
        {
            return false;
        }

        path = rest[1..close];
        parameters = rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
    }

    private void Reply(string reply)
    {
        _replies.Write(Encoding.ASCII.GetBytes(reply));
        _replies.Write("\r\n"u8);
    }

    private async Task FlushAsync(CancellationToken stopping)
    {
        if (_replies.Length > 0)
        {
            await _stream.WriteAsync(_replies.GetBuffer().AsMemory(0, (int)_replies.Length), stopping);
            _replies.SetLength(0);
        }
    }

    /// <summary>
    /// The next line without its line ending (a bare LF is taken as one too), valid until the next
    /// call; null when the client closed the connection. Pending replies go out before waiting for
    /// the client: it may be waiting for them.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken stopping)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = _buffer.AsMemory(_start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxLine)
                {
                    throw new IOException("line too long");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            await FlushAsync(stopping);
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), stopping);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }
}
