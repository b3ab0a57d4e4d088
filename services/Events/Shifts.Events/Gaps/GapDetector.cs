using Shifts.Events.Statuses;
using Shifts.Events.Staffing;
using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Events.Gaps;

/// <summary>
/// Finds gaps: published shifts still below their minimum when one of their organisation's alert
/// lead times (default 48 h, then 24 h) before the start is reached. Publishes one
/// <see cref="ShiftsUnderstaffed"/> per organisation and lead time listing every such shift, through
/// the outbox, and records each (shift, lead time) so nothing is announced twice. One replica detects
/// at a time (a transaction-scoped advisory lock); the others skip that round.
/// </summary>
public sealed partial class GapDetector(NpgsqlDataSource db, TimeProvider time, ILogger<GapDetector> logger) : BackgroundService
{
    private const long DetectorLockKey = 0x5348494654535f47; // "SHIFTS_G"
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DetectAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogDatabaseAway(logger, ex.Message);
            }

            await CommitWakeup.DelayQuietly(Interval, stoppingToken);
        }
    }

    /// <summary>One round: returns how many alerts (organisation × lead time) it published.</summary>
    public async Task<int> DetectAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_xact_lock(@key)", new { key = DetectorLockKey }, tx, cancellationToken: cancellationToken)))
        {
            return 0;
        }

        // Every (short shift, lead time) whose moment has come and that was not announced yet.
        const string due = $"""
            SELECT s.id AS shift_id, lead, s.confirmed, s.minimum
            FROM shifts s
            JOIN organisations o ON o.slug = s.org
            CROSS JOIN LATERAL unnest(o.gap_alert_lead_times) AS lead
            WHERE s.status = '{ShiftStatus.Open}' AND s.event_status = '{EventStatus.Published}' AND s.confirmed < s.minimum
              AND s.starts_at > @now AND s.starts_at <= @now + lead
              AND NOT EXISTS (SELECT 1 FROM gap_alerts_sent g WHERE g.shift_id = s.id AND g.lead_time = lead)
            ORDER BY s.starts_at
            """;
        var found = (await connection.QueryAsync<DueGap>(new CommandDefinition(due, new { now = time.GetUtcNow() }, tx, cancellationToken: cancellationToken))).ToList();

        // A shift that is short at 24 h before its start was also short at 48 h: announce it once, at
        // the shortest lead time reached, and record the longer ones as passed.
        var alerts = 0;
        var shortest = found.GroupBy(f => f.ShiftId).Select(g => g.MinBy(f => f.Lead)!).ToList();
        var byOrganisation = new Dictionary<(string Org, TimeSpan Lead), List<UnderstaffedShift>>();
        foreach (var gap in shortest)
        {
            var details = (await ShiftDetailsReader.ReadAsync(tx, gap.ShiftId, cancellationToken))!;
            var key = (details.Org, gap.Lead);
            if (!byOrganisation.TryGetValue(key, out var list))
            {
                byOrganisation[key] = list = [];
            }

            list.Add(new UnderstaffedShift(details, gap.Confirmed, gap.Minimum));
        }

        foreach (var ((org, lead), shifts) in byOrganisation)
        {
            await Outbox.EnqueueAsync(tx, new ShiftsUnderstaffed(org, lead, shifts), cancellationToken);
            alerts++;
        }

        const string record = """
            INSERT INTO gap_alerts_sent (shift_id, lead_time) SELECT * FROM unnest(@shifts::uuid[], @leads::interval[])
            ON CONFLICT DO NOTHING
            """;
        await connection.ExecuteAsync(new CommandDefinition(record, new
        {
            shifts = found.Select(f => f.ShiftId).ToArray(),
            leads = found.Select(f => f.Lead).ToArray(),
        }, tx, cancellationToken: cancellationToken));

        await CommitWakeup.CommitAndWakeAsync(tx, cancellationToken);
        if (alerts > 0)
        {
            LogAlerts(logger, alerts, found.Count);
        }

        return alerts;
    }

    /// <summary>A short shift whose alert lead time has come.</summary>
    private sealed class DueGap
    {
        public Guid ShiftId { get; init; }
        public TimeSpan Lead { get; init; }
        public int Confirmed { get; init; }
        public int Minimum { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Alerts} gap alerts covering {Gaps} short shift lead times")]
    private static partial void LogAlerts(ILogger logger, int alerts, int gaps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gap detector cannot reach the database: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
