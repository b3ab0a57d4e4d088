using Shifts.Events.Statuses;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Staffing;

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
            SELECT {ShiftDetailsReader.Columns}
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.org = @org AND s.status = '{ShiftStatus.Open}' AND s.event_status = '{EventStatus.Published}'
              AND s.newcomer_friendly AND s.confirmed < s.capacity AND s.starts_at > @from
            ORDER BY s.starts_at, s.id
            LIMIT @limit
            """;
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        var rows = await connection.QueryAsync<ShiftDetailsRow>(new CommandDefinition(sql, new
        {
            org = request.Org,
            from = request.From.ToUniversalTime(),
            limit = Math.Clamp(request.Limit, 1, 20),
        }, cancellationToken: context.CancellationToken));
        var shifts = rows.Select(row => row.Details).ToList();

        await context.RespondAsync(new NewcomerShiftsListed(request.Org, shifts));
    }
}
