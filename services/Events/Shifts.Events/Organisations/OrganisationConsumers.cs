using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;

namespace Shifts.Events.Organisations;

/// <summary>
/// Keeps the organisations replica current: each message carries all settings, so both events simply upsert;
/// and the codes of the qualifications each recognises (<see cref="QualificationCodes"/>).
/// Serves OrganisationRegistered, OrganisationChanged and QualificationAdded from the volunteers service, on the queue
/// events-organisation-consumers (the table in EventsMessaging).
/// </summary>
public sealed class OrganisationConsumers(NpgsqlDataSource db, ILogger<OrganisationConsumers> logger)
    : IConsumer<OrganisationRegistered>, IConsumer<OrganisationChanged>, IConsumer<QualificationAdded>
{
    /// <summary>The organisation's list of qualifications grows (it never shrinks in the volunteers service).</summary>
    public Task Consume(ConsumeContext<QualificationAdded> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(OrganisationConsumers), tx => QualificationCodes.AddAsync(tx, m.Org, [m.Code], context.CancellationToken), logger);
    }

    public Task Consume(ConsumeContext<OrganisationRegistered> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(OrganisationConsumers), tx => UpsertAsync(tx, m.Slug, m.Name, m.TimeZone, m.CancellationDeadline, m.GapAlertLeadTimes, context.CancellationToken), logger);
    }

    public Task Consume(ConsumeContext<OrganisationChanged> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(OrganisationConsumers), tx => UpsertAsync(tx, m.Slug, m.Name, m.TimeZone, m.CancellationDeadline, m.GapAlertLeadTimes, context.CancellationToken), logger);
    }

    private static async Task UpsertAsync(NpgsqlTransaction tx, string slug, string name, string timeZone, TimeSpan deadline, IReadOnlyList<TimeSpan> leadTimes, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO organisations (slug, name, time_zone, cancellation_deadline, gap_alert_lead_times, updated_at)
            VALUES (@slug, @name, @zone, @deadline, @leads, now())
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
                cancellation_deadline = excluded.cancellation_deadline, gap_alert_lead_times = excluded.gap_alert_lead_times,
                updated_at = now()
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { slug, name, zone = timeZone, deadline, leads = leadTimes.ToArray() },
            tx, cancellationToken: cancellationToken));
    }
}
