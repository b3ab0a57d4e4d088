using Shifts.Events.Statuses;
using MassTransit;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Events.Gaps;

/// <summary>
/// Answers the notifications service's welcome mail: the organisation's next open, newcomer-friendly shifts.
/// Serves NewcomerShiftsRequested (request/response, with NewcomerShiftsListed), on the queue
/// events-newcomer-shifts-responder (the table in EventsMessaging).
/// </summary>
public sealed class NewcomerShiftsResponder(NpgsqlDataSource db) : IConsumer<NewcomerShiftsRequested>
{
    public async Task Consume(ConsumeContext<NewcomerShiftsRequested> context)
    {
        var request = context.Message;
        const string sql = $"""
            SELECT s.id, s.event_id, s.org, e.title, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.org = @org AND s.status = '{ShiftStatus.Open}' AND s.event_status = '{EventStatus.Published}'
              AND s.newcomer_friendly AND s.confirmed < s.capacity AND s.starts_at > @from
            ORDER BY s.starts_at, s.id
            LIMIT @limit
            """;
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("org", request.Org);
        command.Parameters.AddWithValue("from", request.From.ToUniversalTime());
        command.Parameters.AddWithValue("limit", Math.Clamp(request.Limit, 1, 20));
        var shifts = new List<ShiftDetails>();
        await using (var reader = await command.ExecuteReaderAsync(context.CancellationToken))
        {
            while (await reader.ReadAsync(context.CancellationToken))
            {
                shifts.Add(new ShiftDetails(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }

        await context.RespondAsync(new NewcomerShiftsListed(request.Org, shifts));
    }
}
