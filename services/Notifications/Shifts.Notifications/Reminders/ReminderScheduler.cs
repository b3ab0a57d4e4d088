using System.Globalization;
using Dapper;
using Npgsql;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Notifications.Reminders;

/// <summary>
/// Turns due reminders into deliveries. Due rows are taken in batches with FOR UPDATE SKIP LOCKED,
/// and each becomes a delivery (key reminder:{claim}:{lead}:{start}) and is marked done in the same
/// transaction: several replicas share the schedule, a crash loses nothing (the transaction rolls
/// back and the rows are due again), and none is sent twice. Time comes from the injected
/// TimeProvider; the loop itself polls in real time.
/// </summary>
public sealed partial class ReminderScheduler(
    NpgsqlDataSource dataSource,
    TimeProvider time,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<ReminderOptions> options,
    ILogger<ReminderScheduler> logger) : BackgroundService
{
    private readonly AppLinks _links = AppLinks.From(configuration);
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await RunDueAsync(stoppingToken);
                await ForgetEndedClaimsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogDatabaseAway(logger, ex.Message);
            }

            if (taken < settings.BatchSize)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Handles one batch of due reminders; returns how many rows it took.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);

        var due = (await connection.QueryAsync<DueReminder>(new CommandDefinition($"""
            SELECT claim_id AS Claim, lead AS Lead FROM reminders
            WHERE status = '{ReminderStatus.Pending}' AND due_at <= @now
            ORDER BY due_at
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """, new { now, batch = options.Value.BatchSize }, tx, cancellationToken: cancellationToken))).ToList();

        if (due.Count == 0)
        {
            return 0;
        }

        var claims = await ClaimRecords.FindManyAsync(tx, due.Select(d => d.Claim).Distinct().ToList(), cancellationToken);
        var recipients = await Recipient.FindManyAsync(tx, claims.Values.Select(c => c.VolunteerId).Distinct().ToList(), cancellationToken);
        var organisations = new Dictionary<string, Organisation>(StringComparer.Ordinal);
        var outcomes = new List<(Guid Claim, TimeSpan Lead, string Status)>();
        var mails = new List<OutgoingMail>();
        foreach (var reminder in due)
        {
            claims.TryGetValue(reminder.Claim, out var claim);
            Recipient? recipient = null;
            var known = claim is not null && recipients.TryGetValue(claim.VolunteerId, out recipient);
            var status = reminder.OutcomeWithoutMail(due, claim, known, now)
                ?? await ComposeAsync(tx, claim!, recipient!, reminder.Lead, organisations, mails, cancellationToken);
            outcomes.Add((reminder.Claim, reminder.Lead, status));
        }

        // The batch's mails in one round trip, in the transaction that marks their reminders done.
        await Deliveries.EnqueueManyAsync(tx, mails, now, cancellationToken);

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE reminders r SET status = o.status, updated_at = @now
            FROM unnest(@claims, @leads, @statuses) AS o(claim_id, lead, status)
            WHERE r.claim_id = o.claim_id AND r.lead = o.lead
            """, new
        {
            claims = outcomes.Select(o => o.Claim).ToArray(),
            leads = outcomes.Select(o => o.Lead).ToArray(),
            statuses = outcomes.Select(o => o.Status).ToArray(),
            now,
        }, tx, cancellationToken: cancellationToken));

        await CommitWakeup.CommitAndWakeAsync(tx, cancellationToken);
        LogHandled(logger, outcomes.Count(o => o.Status == ReminderStatus.Done), outcomes.Count);
        return due.Count;
    }

    /// <summary>Renders the reminder's mail into <paramref name="mails"/> (queued with the batch); answers the reminder's status.</summary>
    private async Task<string> ComposeAsync(NpgsqlTransaction tx, ClaimRecord claim, Recipient recipient, TimeSpan lead,
        Dictionary<string, Organisation> organisations, List<OutgoingMail> mails, CancellationToken cancellationToken)
    {
        if (!organisations.TryGetValue(claim.Shift.Org, out var org))
        {
            organisations[claim.Shift.Org] = org = await Organisation.FindAsync(tx, claim.Shift.Org, cancellationToken);
        }

        var mail = MailTemplates.Render(MailKind.Reminder, recipient.Language, ShiftValues.For(claim.Shift, org, recipient, _links));
        var key = string.Create(CultureInfo.InvariantCulture,
            $"reminder:{claim.ClaimId:N}:{(long)lead.TotalMinutes}:{claim.Shift.StartsAt.ToUnixTimeSeconds()}");
        mails.Add(new OutgoingMail(key, MailKind.Reminder, recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html)
        {
            Org = claim.Shift.Org,
            SuppressedBecause = recipient.EmailReminders ? null : "the recipient switched e-mail reminders off",
        });
        return ReminderStatus.Done;
    }

    /// <summary>Once an hour: claims long past their shift are dropped with their reminders, and the facts of those shifts; nothing is left to remind of.</summary>
    private async Task ForgetEndedClaimsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _lastCleanup < TimeSpan.FromHours(1))
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM claims WHERE ends_at < @before; DELETE FROM shift_facts WHERE ends_at < @before", new { before = now - options.Value.KeepEndedClaims }, cancellationToken: cancellationToken));
        _lastCleanup = now;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminders: {Sent} of {Due} due reminders turned into deliveries")]
    private static partial void LogHandled(ILogger logger, int sent, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder scheduler cannot reach the database: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
