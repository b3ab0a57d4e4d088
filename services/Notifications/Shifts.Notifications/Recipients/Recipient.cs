using Dapper;
using Npgsql;
using Shifts.Notifications.Mail;

namespace Shifts.Notifications.Recipients;

/// <summary>Hours in which nobody wants a mail, in the organisation's local time; may wrap midnight (22:00–08:00).</summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To);

/// <summary>A person as this service knows them: where to write, in which language, and what they want to be told.</summary>
public sealed record Recipient(Guid Id, string Email, string Name, string Locale, bool EmailReminders, IReadOnlyList<TimeSpan>? ReminderLeadTimes, QuietHours? QuietHours)
{
    /// <summary>When nobody chose: a day before and two hours before.</summary>
    public static IReadOnlyList<TimeSpan> DefaultLeadTimes { get; } = [TimeSpan.FromHours(24), TimeSpan.FromHours(2)];

    public string Language => MailTemplates.Language(Locale);

    public IReadOnlyList<TimeSpan> LeadTimes => ReminderLeadTimes is { Count: > 0 } chosen ? chosen : DefaultLeadTimes;

    public static async Task<Recipient?> FindAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken) =>
        (await FindManyAsync(tx, [id], cancellationToken)).GetValueOrDefault(id);

    public static async Task<Dictionary<Guid, Recipient>> FindManyAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(ids);
        var rows = await tx.Connection!.QueryAsync<Row>(new CommandDefinition("""
            SELECT id AS Id, email AS Email, display_name AS Name, locale AS Locale, email_reminders AS EmailReminders,
                   reminder_lead_times AS ReminderLeadTimes, quiet_from AS QuietFrom, quiet_to AS QuietTo
            FROM recipients WHERE id = ANY(@ids)
            """, new { ids = ids.ToArray() }, tx, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.ToRecipient());
    }

    /// <summary>
    /// The one person a message is about. Null when they were erased (the message came late; nobody
    /// is mailed). Not known yet throws, so MassTransit retries: the registration may still be on its
    /// way on another queue, and a message that never finds its person ends in the _error queue
    /// instead of being dropped.
    /// </summary>
    public static async Task<Recipient?> RequireAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(tx, id, cancellationToken) is { } recipient)
        {
            return recipient;
        }

        return await IsErasedAsync(tx, id, cancellationToken)
            ? null
            : throw new RecipientNotKnownException(id);
    }

    /// <summary>The coordinators and admins of an organisation (the membership replica), who hear of gaps and freed places.</summary>
    public static async Task<List<Guid>> CoordinatorIdsAsync(NpgsqlTransaction tx, string org, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "SELECT volunteer_id FROM memberships WHERE org = @org AND role IN ('coordinator', 'admin')", new { org }, tx, cancellationToken: cancellationToken))).ToList();
    }

    public static async Task<bool> IsErasedAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM erased_recipients WHERE id = @id)", new { id }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>Properties, not a constructor: Dapper matches a constructor by the reader's field types, and Npgsql types interval[] as Array.</summary>
    private sealed class Row
    {
        public Guid Id { get; init; }
        public required string Email { get; init; }
        public required string Name { get; init; }
        public required string Locale { get; init; }
        public bool EmailReminders { get; init; }
        public TimeSpan[]? ReminderLeadTimes { get; init; }
        public TimeOnly? QuietFrom { get; init; }
        public TimeOnly? QuietTo { get; init; }

        public Recipient ToRecipient() => new(Id, Email, Name, Locale, EmailReminders, ReminderLeadTimes,
            QuietFrom is { } from && QuietTo is { } to ? new QuietHours(from, to) : null);
    }
}

/// <summary>A message names a person this service has not heard of (yet).</summary>
public sealed class RecipientNotKnownException(Guid id) : Exception($"Volunteer {id} is not known to the notifications service (yet).");
