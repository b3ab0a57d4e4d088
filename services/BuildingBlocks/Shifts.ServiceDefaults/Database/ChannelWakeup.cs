using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// Wakes a polling worker when PostgreSQL NOTIFYs its channel, so work written by a committed
/// transaction is picked up at once; the worker's poll interval remains the fallback for a lost
/// LISTEN connection. Used by the outbox relay and the mail dispatcher.
/// </summary>
public sealed partial class ChannelWakeup(NpgsqlDataSource dataSource, string channel, TimeSpan reconnectDelay, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Keeps a LISTEN connection open until cancelled, reconnecting after failures.</summary>
    public async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => _signal.Release();
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _signal.Release(); // work may have arrived while nobody listened
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                LogListenFailed(logger, channel, ex.Message);
                await DelayQuietly(reconnectDelay, stoppingToken);
            }
        }
    }

    /// <summary>Waits for a notification or the timeout, whichever comes first, and swallows the backlog of signals.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (_signal.CurrentCount > 0)
        {
            _signal.Wait(0, CancellationToken.None);
        }
    }

    /// <summary>A delay that ends early, without throwing, when the host stops.</summary>
    public static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public void Dispose() => _signal.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "LISTEN {Channel} lost its connection; polling until it is back: {Reason}")]
    private static partial void LogListenFailed(ILogger logger, string channel, string reason);
}
