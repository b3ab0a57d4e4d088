using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;

namespace Shifts.Messaging.Tests.Support;

/// <summary>
/// The receiving service's consumer, written the way a Shifts consumer is: its effect (a row in
/// its own database) and the inbox row commit together, so a redelivery changes nothing.
/// </summary>
public sealed class RecordingConsumer(NpgsqlDataSource database, Deliveries deliveries) : IConsumer<LoginLinkRequested>
{
    public async Task Consume(ConsumeContext<LoginLinkRequested> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message arrived without a MessageId.");
        deliveries.Record(new Delivery(messageId, context.Message));
        if (deliveries.Refuse)
        {
            throw new InvalidOperationException($"The receiver refuses message {messageId}, as this test asked.");
        }

        if (deliveries.CountOf(messageId) <= deliveries.DatabaseAwayFor)
        {
            // What a consumer meets while PostgreSQL restarts, wrapped the way library code often does.
            throw new InvalidOperationException("Could not record the message.",
                new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        }

        await database.ConsumeOnceAsync(context, nameof(RecordingConsumer), transaction =>
            transaction.Connection!.ExecuteAsync(
                "INSERT INTO effects (message_id, volunteer_id) VALUES (@messageId, @volunteerId)",
                new { messageId, volunteerId = context.Message.VolunteerId },
                transaction));
    }
}
