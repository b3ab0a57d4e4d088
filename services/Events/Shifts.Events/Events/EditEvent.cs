using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

/// <summary>
/// PATCH /api/events/{eventId}: title, description and location; times move through <see cref="EventMoves"/>.
/// A new place or title on a published or postponed event is told to the people on its shifts.
/// </summary>
public static class EditEvent
{
    public static async Task<EventAnswer> Handle(
        Guid eventId, EventEdit edit, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (edit.Title is not null)
        {
            errors.Text("title", edit.Title, 200);
        }

        errors.Text("description", edit.Description, EventRules.MaxDescription, required: false);
        EventRules.ValidateLocation(edit.Location, errors, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (EventRules.Deny(row, caller, "edit") is { } denied)
            {
                return denied;
            }

            if (row!.Status == EventStatus.Cancelled)
            {
                return Problem.Conflict("event-cancelled", "The event is cancelled; it can no longer be changed.");
            }

            const string sql = """
                UPDATE events SET title = @title, description = @description, location_name = @locationName,
                    location_address = @locationAddress, updated_at = now()
                WHERE id = @id
                """;
            var title = edit.Title?.Trim() ?? row.Title;
            var locationName = edit.Location?.Name?.Trim() ?? row.LocationName;
            var locationAddress = edit.Location?.Address is { } newAddress ? EventRules.Blank(newAddress) : row.LocationAddress;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new
            {
                id = row.Id,
                title,
                description = edit.Description is null ? row.Description : EventRules.Blank(edit.Description),
                locationName,
                locationAddress,
            }, tx, cancellationToken: ct));

            var moved = locationName != row.LocationName || locationAddress != row.LocationAddress;
            if ((moved || title != row.Title) && row.Status is EventStatus.Published or EventStatus.Postponed)
            {
                await TellClaimantsAsync(tx, row, moved, ct);
            }

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    /// <summary>
    /// The place and the event's title are part of every shift's entry: one ShiftChanged per open
    /// shift with confirmed claims (its times as they were), naming the place before when it moved.
    /// The database raised each shift's revision with the event's row (migration 0004's trigger),
    /// so the details read here carry the higher calendar SEQUENCE.
    /// </summary>
    private static async Task TellClaimantsAsync(NpgsqlTransaction tx, EventRow before, bool moved, CancellationToken ct)
    {
        const string sql = $"""
            SELECT s.id, s.capacity, s.minimum, array_agg(c.volunteer_id ORDER BY c.volunteer_id) AS claimants
            FROM shifts s JOIN claims c ON c.shift_id = s.id AND c.status = '{ClaimStatus.Confirmed}'
            WHERE s.event_id = @id AND s.status = '{ShiftStatus.Open}'
            GROUP BY s.id
            ORDER BY min(s.starts_at), s.id
            """;
        var shifts = await tx.Connection!.QueryAsync<(Guid Id, int Capacity, int Minimum, Guid[] Claimants)>(
            new CommandDefinition(sql, new { id = before.Id }, tx, cancellationToken: ct));
        foreach (var shift in shifts)
        {
            var details = (await ShiftDetailsReader.ReadAsync(tx, shift.Id, ct))!;
            await Outbox.EnqueueAsync(tx, new ShiftChanged(details, details.StartsAt, details.EndsAt, shift.Capacity, shift.Minimum, shift.Claimants,
                moved ? before.LocationName : null, moved ? before.LocationAddress : null), ct);
        }
    }
}
