using Dapper;
using Npgsql;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Volunteers.Consent;

/// <summary>
/// Every few minutes, erases membership requests and address changes whose link expired: deleted,
/// not flagged, so an address someone typed in and nobody confirmed is gone within minutes of the
/// expiry. Any replica may run it; the deletes are idempotent.
/// </summary>
public sealed class ConsentHousekeeping(NpgsqlDataSource db, TimeProvider time, ILogger<ConsentHousekeeping> logger)
    : Housekeeping(time, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => EraseExpiredAsync(cancellationToken);

    /// <summary>
    /// Deletes what expired by now, and the sent messages that carried the address and name of an
    /// expired request from the outbox (kept a week for diagnosis otherwise); returns how many
    /// requests and address changes went.
    /// </summary>
    public async Task<int> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var requests = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "DELETE FROM membership_requests WHERE expires_at <= @now RETURNING id", new { now }, tx, cancellationToken: cancellationToken))).ToList();

        foreach (var id in requests)
        {
            await Outbox.ForgetAsync(tx, id, cancellationToken);
        }

        var changes = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM email_changes WHERE expires_at <= @now", new { now }, tx, cancellationToken: cancellationToken));

        await CommitWakeup.CommitAndWakeAsync(tx, cancellationToken);
        return requests.Count + changes;
    }
}
