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
        await using var command = new NpgsqlCommand("""
            SELECT id, email, display_name, locale, email_reminders, reminder_lead_times, quiet_from, quiet_to
            FROM recipients WHERE id = ANY(@ids)
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<Guid, Recipient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var quiet = reader.IsDBNull(6) || reader.IsDBNull(7) ? null : new QuietHours(reader.GetFieldValue<TimeOnly>(6), reader.GetFieldValue<TimeOnly>(7));
            found[reader.GetGuid(0)] = new Recipient(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<TimeSpan[]>(5), quiet);
        }

        return found;
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

    public static async Task<bool> IsErasedAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM erased_recipients WHERE id = @id)", tx.Connection, tx);
        command.Parameters.AddWithValue("id", id);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>A message names a person this service has not heard of (yet).</summary>
public sealed class RecipientNotKnownException(Guid id) : Exception($"Volunteer {id} is not known to the notifications service (yet).");
