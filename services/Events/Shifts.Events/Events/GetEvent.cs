using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Shifts.Contracts;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>GET /api/events/{eventId}: one event with its shifts; drafts only for the organisation's coordinators.</summary>
public static class GetEvent
{
    public static async Task<Results<Ok<EventView>, ProblemHttpResult>> Handle(
        Guid eventId, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await EventRows.FindAsync(connection, eventId, cancellationToken);
        if (row is null || !row.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such event.");
        }

        return TypedResults.Ok(await EventRows.ViewAsync(connection, row, cancellationToken));
    }
}
