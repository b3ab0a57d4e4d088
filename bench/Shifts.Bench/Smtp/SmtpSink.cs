using System.Net;
using System.Net.Sockets;

namespace Shifts.Bench.Smtp;

/// <summary>One mail as the sink received it: when its final "." arrived, the envelope and the headers that identify it.</summary>
public sealed record ReceivedMail(
    DateTimeOffset ArrivedAt,
    string MailFrom,
    IReadOnlyList<string> Recipients,
    string Subject,
    string MessageId,
    int Size,
    byte[]? Content);

/// <summary>
/// The benchmark's SMTP server: a minimal RFC 5321 receiver on loopback that accepts every mail,
/// keeps a record of each in memory (no disk I/O, no parsing beyond the headers it records) and
/// throws the body away. smtp4dev, which stores and indexes every mail, accepted only 5–25 mails/s
/// and bounded the mail scenarios; this sink is far faster than the system sending to it, so the
/// scenarios measure Shifts (see bench/README.md). The whole content of a mail is kept only for
/// addresses asked for with <see cref="KeepContentFor"/> (the admin's login link).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ReceivedMail> _mails = [];
    private readonly HashSet<string> _keepContent = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _sessions = [];
    private readonly Task _accepting;

    private SmtpSink(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many mails have been received so far.</summary>
    public int Count
    {
        get
        {
            lock (_mails)
            {
                return _mails.Count;
            }
        }
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0: any free port) until disposed.</summary>
    public static SmtpSink Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(backlog: 512);
        return new SmtpSink(listener);
    }

    /// <summary>From now on, mails to this address are kept whole (see <see cref="ReceivedMail.Content"/>).</summary>
    public void KeepContentFor(string address)
    {
        lock (_keepContent)
        {
            _keepContent.Add(address);
        }
    }

    /// <summary>The mails received so far that match, in order of arrival.</summary>
    public List<ReceivedMail> Mails(Func<ReceivedMail, bool> match)
    {
        lock (_mails)
        {
            return _mails.Where(match).ToList();
        }
    }

    /// <summary>Waits until a mail that matches has arrived; null after the timeout.</summary>
    public async Task<ReceivedMail?> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Mails(match).FirstOrDefault() is { } mail)
            {
                return mail;
            }

            if (DateTime.UtcNow > deadline)
            {
                return null;
            }

            // The arrival time is taken by the session, so how often this looks does not change any figure.
            await Task.Delay(50);
        }
    }

    internal bool KeepsContentFor(IReadOnlyList<string> recipients)
    {
        lock (_keepContent)
        {
            return _keepContent.Count > 0 && recipients.Any(_keepContent.Contains);
        }
    }

    internal void Record(ReceivedMail mail)
    {
        lock (_mails)
        {
            _mails.Add(mail);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }

            socket.NoDelay = true;
            var session = new SmtpSession(this, socket).RunAsync(_stopping.Token);
            lock (_sessions)
            {
                _sessions.RemoveAll(s => s.IsCompleted);
                _sessions.Add(session);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stopping.Dispose();
    }
}
