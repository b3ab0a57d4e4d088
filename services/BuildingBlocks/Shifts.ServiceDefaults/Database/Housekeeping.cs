using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// A background job that tidies the database every few minutes (deletes what expired, anonymises
/// what must be forgotten). Each tick runs <see cref="RunOnceAsync"/>; a database failure is logged
/// and the job tries again at the next tick, because the work is idempotent and any replica may do
/// it. Tests call the subclass's public methods directly instead of waiting for a tick.
/// </summary>
public abstract partial class Housekeeping(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock the job ticks by and compares expiry times with.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How often the job runs; five minutes unless a subclass says otherwise.</summary>
    protected virtual TimeSpan Interval => TimeSpan.FromMinutes(5);

    /// <summary>One round of the job.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogFailed(logger, GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; trying again at the next tick: {Reason}")]
    private static partial void LogFailed(ILogger logger, string job, string reason);
}
