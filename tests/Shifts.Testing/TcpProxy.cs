using System.Net;
using System.Net.Sockets;

namespace Shifts.Testing;

/// <summary>
/// A loopback TCP proxy in front of a real server, for outage tests: <see cref="Cut"/> drops every
/// connection and refuses new ones, as if the server had gone away; <see cref="Restore"/> lets
/// traffic through again. The server itself keeps running for the other tests. An observer, when
/// given, sees every piece the client sends before it is passed on (and may hold it meanwhile).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private readonly Func<int, ReadOnlyMemory<byte>, Task>? _clientToServer;
    private int _connections;
    private volatile bool _cut;

    /// <param name="clientToServer">Called with the connection's number and each piece the client sent, before it goes on to the server.</param>
    public TcpProxy(string targetHost, int targetPort, Func<int, ReadOnlyMemory<byte>, Task>? clientToServer = null)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _clientToServer = clientToServer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server's address (e.g. an amqp:// URI with credentials and virtual host) pointed at this proxy instead.</summary>
    public Uri AddressFor(Uri server) => new UriBuilder(server) { Host = "127.0.0.1", Port = Port }.Uri;

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                if (client.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0); // RST, like a dead peer
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }

            _ = PipeAsync(inbound);
        }
    }

    private async Task PipeAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            var a = _clientToServer is null
                ? inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token)
                : ObserveAndCopyAsync(Interlocked.Increment(ref _connections), inbound.GetStream(), outbound.GetStream());
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a cut or a closed peer ends the pipe
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
        }
    }

    private async Task ObserveAndCopyAsync(int connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            await _clientToServer!(connection, buffer.AsMemory(0, read));
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
