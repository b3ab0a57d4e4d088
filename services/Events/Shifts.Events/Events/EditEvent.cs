using Shifts.Events.Statuses;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Dapper;
using Shifts.Contracts;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

/// <summary>PATCH /api/events/{eventId}: title, description and location; times move through <see cref="EventMoves"/>.</summary>
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
            await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new
            {
                id = row.Id,
                title = edit.Title?.Trim() ?? row.Title,
                description = edit.Description is null ? row.Description : EventRules.Blank(edit.Description),
                locationName = edit.Location?.Name?.Trim() ?? row.LocationName,
                locationAddress = edit.Location?.Address is { } newAddress ? EventRules.Blank(newAddress) : row.LocationAddress,
            }, tx, cancellationToken: ct));

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }
}
