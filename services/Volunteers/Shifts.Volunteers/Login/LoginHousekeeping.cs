using Dapper;
using Npgsql;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Every few minutes, forgets what login no longer needs: rate-limit windows that are over, login
/// links a day after they expired (used or not), and sessions (refresh-token families with their
/// tokens) a day after they ended: revoked, past their absolute end, or unused until their last
/// token expired. Any replica may run it; the deletes are idempotent.
/// </summary>
public sealed partial class LoginHousekeeping(RateLimits limits, NpgsqlDataSource db, TimeProvider time, ILogger<LoginHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LinkRetention = TimeSpan.FromDays(1);
    private static readonly TimeSpan SessionRetention = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await limits.ForgetOldWindowsAsync(stoppingToken);
                    await ForgetOldLinksAsync(stoppingToken);
                    await ForgetEndedSessionsAsync(stoppingToken);
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

    public async Task<int> ForgetOldLinksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_links WHERE expires_at < @before", new { before = time.GetUtcNow() - LinkRetention }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes sessions that ended more than a day ago; returns how many.</summary>
    public Task<int> ForgetEndedSessionsAsync(CancellationToken cancellationToken) =>
        RefreshTokens.ForgetEndedAsync(db, time.GetUtcNow() - SessionRetention, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login housekeeping failed; trying again later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
