using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Every few minutes, forgets what login no longer needs: rate-limit windows that are over, login
/// links a day after they expired (used or not), and sessions (refresh-token families with their
/// tokens) a day after they ended: revoked, past their absolute end, or unused until their last
/// token expired. Any replica may run it; the deletes are idempotent.
/// </summary>
public sealed class LoginHousekeeping(RateLimits limits, NpgsqlDataSource db, TimeProvider time, ILogger<LoginHousekeeping> logger)
    : Housekeeping(time, logger)
{
    private static readonly TimeSpan LinkRetention = TimeSpan.FromDays(1);
    private static readonly TimeSpan SessionRetention = TimeSpan.FromDays(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await limits.ForgetOldWindowsAsync(cancellationToken);
        await ForgetOldLinksAsync(cancellationToken);
        await ForgetEndedSessionsAsync(cancellationToken);
    }

    public async Task<int> ForgetOldLinksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_links WHERE expires_at < @before", new { before = Time.GetUtcNow() - LinkRetention }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes sessions that ended more than a day ago; returns how many.</summary>
    public Task<int> ForgetEndedSessionsAsync(CancellationToken cancellationToken) =>
        RefreshTokens.ForgetEndedAsync(db, Time.GetUtcNow() - SessionRetention, cancellationToken);
}
