using Npgsql;

namespace Shifts.Volunteers.Consent;

/// <summary>
/// Every few minutes, erases membership requests and address changes whose link expired: deleted,
/// not flagged, so an address someone typed in and nobody confirmed is gone within minutes of the
/// expiry. Any replica may run it; the deletes are idempotent.
/// </summary>
public sealed partial class ConsentHousekeeping(NpgsqlDataSource db, TimeProvider time, ILogger<ConsentHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await EraseExpiredAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Deletes what expired by now; returns how many rows went (requests and address changes).</summary>
    public async Task<int> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            WITH requests AS (DELETE FROM membership_requests WHERE expires_at <= @now RETURNING 1),
                 changes AS (DELETE FROM email_changes WHERE expires_at <= @now RETURNING 1)
            SELECT (SELECT count(*) FROM requests) + (SELECT count(*) FROM changes)
            """);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consent housekeeping failed; trying again later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
