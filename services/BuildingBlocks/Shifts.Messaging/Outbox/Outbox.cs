using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Shifts.Contracts;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Messaging.Outbox;

/// <summary>
/// Writes integration events into the outbox inside the caller's transaction. The event is
/// published if and only if that transaction commits: a rollback publishes nothing, a crash after
/// commit publishes it later (OutboxRelay), possibly twice, never not at all.
/// </summary>
public static class Outbox
{
    /// <summary>The wake-up OutboxRelay waits on (see CommitWakeup): signalled when a transaction that wrote a row commits.</summary>
    public const string Channel = "shifts_outbox";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The message id, which becomes the MassTransit MessageId and the consumers' inbox key.</returns>
    public static async Task<Guid> EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        if (typeof(T).Assembly != typeof(LoginLinkRequested).Assembly)
        {
            throw new ArgumentException($"{typeof(T).FullName} is not an integration event from Shifts.Contracts.", nameof(message));
        }

        var id = Guid.CreateVersion7();
        const string sql = """
            INSERT INTO outbox_messages (id, message_type, body, trace_parent)
            VALUES (@id, @type, @body, @traceParent)
            """;
        // Raw Npgsql: the body is a typed jsonb parameter. No NOTIFY here: it would serialise this
        // commit with every other notifying one; the relay of this process is woken after the commit.
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("type", typeof(T).FullName!);
        command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(message, Json));
        // The trace the change happened in continues through the relay to every consumer.
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        CommitWakeup.After(transaction, Channel);
        return id;
    }

    /// <summary>
    /// Erasure: deletes the outbox rows that mention this person (sent ones are kept for a week
    /// for diagnosis, and some carry a name or an address). Unsent ones about them go too: nobody
    /// needs to hear about a person who is being forgotten, except that they are (enqueue that after).
    /// </summary>
    public static async Task<int> ForgetAsync(NpgsqlTransaction transaction, Guid subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_messages WHERE strpos(body::text, @id) > 0", new { id = subjectId.ToString() }, transaction, cancellationToken: cancellationToken));
    }
}
