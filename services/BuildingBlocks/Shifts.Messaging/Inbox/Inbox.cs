using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Messaging.Inbox;

/// <summary>
/// Makes a consumer's effect happen once per message, however often RabbitMQ delivers it: the
/// (message id, consumer) row and the effect commit in one transaction, and a message whose row
/// already exists is acknowledged and skipped.
/// </summary>
public static partial class Inbox
{
    /// <summary>Records the message for this consumer; false when it was already processed.</summary>
    public static async Task<bool> TryRecordAsync(NpgsqlTransaction transaction, Guid messageId, string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = """
            INSERT INTO inbox_messages (message_id, consumer) VALUES (@messageId, @consumer)
            ON CONFLICT DO NOTHING
            """;
        return await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            sql, new { messageId, consumer }, transaction, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Runs <paramref name="effect"/> in a transaction together with the inbox row, unless this
    /// consumer already handled the message. Returns whether the effect ran.
    /// </summary>
    public static async Task<bool> ConsumeOnceAsync<TMessage>(
        this NpgsqlDataSource dataSource,
        ConsumeContext<TMessage> context,
        string consumer,
        Func<NpgsqlTransaction, Task> effect,
        ILogger? logger = null)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(effect);
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; the inbox cannot deduplicate it.");

        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        if (!await TryRecordAsync(transaction, messageId, consumer, context.CancellationToken))
        {
            if (logger is not null)
            {
                LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
            }

            return false;
        }

        await effect(transaction);
        await CommitWakeup.CommitAndWakeAsync(transaction, context.CancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped duplicate {MessageType} {MessageId} for {Consumer}")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}
