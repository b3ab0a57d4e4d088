using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Access;
using Shifts.Events.Organisations;
using Shifts.Messaging.Inbox;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Events.Volunteers;

/// <summary>
/// The read-only replica of volunteers: display name, memberships and qualifications — nothing
/// else (the address in VolunteerRegistered is not stored here). Erasure removes the person and
/// releases their claims; what arrives about an erased person afterwards is ignored. The
/// memberships are what this service authorises by (Access.CallerDirectory), so a change applies
/// only if it is newer than the last one applied for that membership (MembershipChanged.Version).
/// Serves VolunteerRegistered, VolunteerProfileChanged, MembershipChanged and QualificationsChanged
/// from the volunteers service, on the queue events-volunteer-consumers (the table in EventsMessaging).
/// </summary>
public sealed partial class VolunteerConsumers(NpgsqlDataSource db, ILogger<VolunteerConsumers> logger)
    : IConsumer<VolunteerRegistered>, IConsumer<VolunteerProfileChanged>, IConsumer<MembershipChanged>, IConsumer<QualificationsChanged>
{
    public Task Consume(ConsumeContext<VolunteerRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(VolunteerConsumers), tx => UpsertNameAsync(tx, context.Message.VolunteerId, context.Message.Name, context.Message.Locale, context.CancellationToken), logger);

    public Task Consume(ConsumeContext<VolunteerProfileChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(VolunteerConsumers), tx => UpsertNameAsync(tx, context.Message.VolunteerId, context.Message.Name, context.Message.Locale, context.CancellationToken), logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped MembershipChanged {Version} for {VolunteerId} in {Org}: a newer change was applied already")]
    private static partial void LogStale(ILogger logger, long version, Guid volunteerId, string org);

    public Task Consume(ConsumeContext<MembershipChanged> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(VolunteerConsumers), async tx =>
        {
            if (await MembershipVersions.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            if (!await MembershipReplica.TryAdvanceAsync(tx, m.VolunteerId, m.Org, m.Version, context.CancellationToken))
            {
                LogStale(logger, m.Version, m.VolunteerId, m.Org);
                return;
            }

            await EnsureVolunteerAsync(tx, m.VolunteerId, context.CancellationToken);
            var sql = m.Role is null
                ? "DELETE FROM memberships WHERE volunteer_id = @id AND org = @org"
                : "INSERT INTO memberships (volunteer_id, org, role) VALUES (@id, @org, @role) ON CONFLICT (volunteer_id, org) DO UPDATE SET role = excluded.role";
            await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = m.VolunteerId, org = m.Org, role = m.Role }, tx, cancellationToken: context.CancellationToken));
        }, logger);
    }

    public Task Consume(ConsumeContext<QualificationsChanged> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(VolunteerConsumers), async tx =>
        {
            if (await MembershipVersions.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            await EnsureVolunteerAsync(tx, m.VolunteerId, context.CancellationToken);
            const string sql = """
                DELETE FROM qualifications WHERE volunteer_id = @id AND org = @org;
                INSERT INTO qualifications (volunteer_id, org, code) SELECT @id, @org, unnest(@codes::text[]) ON CONFLICT DO NOTHING;
                """;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = m.VolunteerId, org = m.Org, codes = m.Codes.ToArray() }, tx, cancellationToken: context.CancellationToken));
            // A code someone holds is one the organisation has, whichever message arrives first.
            await QualificationCodes.AddAsync(tx, m.Org, m.Codes.ToList(), context.CancellationToken);
        }, logger);
    }

    private static async Task UpsertNameAsync(NpgsqlTransaction tx, Guid id, string name, string? locale, CancellationToken cancellationToken)
    {
        if (await MembershipVersions.IsErasedAsync(tx, id, cancellationToken))
        {
            return;
        }

        const string sql = """
            INSERT INTO volunteers (id, display_name, locale) VALUES (@id, @name, @locale)
            ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, locale = coalesce(excluded.locale, volunteers.locale), updated_at = now()
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id, name, locale }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>Messages may arrive out of order: a membership before the registration. The name follows.</summary>
    private static Task EnsureVolunteerAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO volunteers (id, display_name) VALUES (@id, '') ON CONFLICT DO NOTHING", new { id }, tx, cancellationToken: cancellationToken));
}
