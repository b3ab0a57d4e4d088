using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;

namespace Shifts.Notifications.Recipients;

/// <summary>
/// Handles OrganisationRegistered and OrganisationChanged from the volunteers service, on the queue notifications-organisation-consumers.
/// <para>Keeps the organisations replica (name and time zone) current; each message carries all of it, so both upsert.</para>
/// </summary>
public sealed class OrganisationConsumers(NpgsqlDataSource db, ILogger<OrganisationConsumers> logger)
    : IConsumer<OrganisationRegistered>, IConsumer<OrganisationChanged>
{
    public Task Consume(ConsumeContext<OrganisationRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(OrganisationConsumers),
            tx => UpsertAsync(tx, context.Message.Slug, context.Message.Name, context.Message.TimeZone, context.CancellationToken), logger);

    public Task Consume(ConsumeContext<OrganisationChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(OrganisationConsumers),
            tx => UpsertAsync(tx, context.Message.Slug, context.Message.Name, context.Message.TimeZone, context.CancellationToken), logger);

    private static Task UpsertAsync(NpgsqlTransaction tx, string slug, string name, string timeZone, CancellationToken cancellationToken) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO organisations (slug, name, time_zone, updated_at) VALUES (@slug, @name, @zone, now())
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, updated_at = now()
            """, new { slug, name, zone = timeZone }, tx, cancellationToken: cancellationToken));
}
