using Dapper;
using Npgsql;
using Shifts.Notifications.Mail;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Notifications.Consent;

/// <summary>
/// Every few minutes, anonymises the delivery rows of confirmation mails whose link expired, as
/// erasure does (no address, no recipient, subject = kind, no body; a mail still waiting is never
/// sent): the address of a request nobody confirmed does not stay here. Idempotent; any replica may run it.
/// </summary>
public sealed class ConsentMailHousekeeping(NpgsqlDataSource db, TimeProvider time, ILogger<ConsentMailHousekeeping> logger)
    : Housekeeping(time, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ForgetExpiredAsync(cancellationToken);

    /// <summary>Anonymises what expired by now; returns how many rows.</summary>
    public async Task<int> ForgetExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE deliveries
            SET recipient_id = NULL, recipient_email = 'forgotten@invalid', subject = kind,
                dedup_key = 'forgotten:' || id, body_text = NULL, body_html = NULL, attachments = NULL, forget_at = NULL,
                last_error = CASE WHEN status = '{DeliveryStatus.Pending}' THEN 'link expired' ELSE last_error END,
                status = CASE WHEN status = '{DeliveryStatus.Pending}' THEN '{DeliveryStatus.Suppressed}' ELSE status END
            WHERE forget_at <= @now AND status <> '{DeliveryStatus.Sending}'
            """, new { now = Time.GetUtcNow() }, cancellationToken: cancellationToken));
    }
}
