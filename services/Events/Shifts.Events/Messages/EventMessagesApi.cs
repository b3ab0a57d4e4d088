using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.Contracts;
using Shifts.Events.Events;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Shifts.Events.Volunteers;

namespace Shifts.Events.Messages;

public sealed record EventMessageRequest(string? Subject, string? Body, Guid[]? ShiftIds);

public sealed record EventMessageReceipt(Guid Id, int Recipients);

/// <summary>
/// POST /api/events/{eventId}/messages: a coordinator writes to the people of an event, or of some
/// of its shifts ("the meeting point moved to the tram stop"). The recipients are the people holding
/// a confirmed place at the moment of sending; the notifications service mails each of them
/// (EventMessagePosted, through the outbox in this transaction) and logs it in the delivery log.
/// </summary>
public static class EventMessagesApi
{
    public const int MaxSubject = 200;
    public const int MaxBody = 5000;

    public static IEndpointRouteBuilder MapEventMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events/{eventId:guid}/messages", Post)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("Messages")
            .WithSummary("Write to the people on an event's shifts, or on some of them; mailed by the notifications service (coordinators)")
            .Produces<EventMessageReceipt>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<EventMessageReceipt>, ProblemHttpResult>> Post(
        Guid eventId, EventMessageRequest? request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var subject = request?.Subject?.Trim();
        var body = request?.Body?.Trim();
        if (subject is not { Length: > 0 and <= MaxSubject })
        {
            errors.Add("subject", $"'subject' is required, at most {MaxSubject} characters.");
        }

        if (body is not { Length: > 0 and <= MaxBody })
        {
            errors.Add("body", $"'body' is required, at most {MaxBody} characters.");
        }

        if (request?.ShiftIds is { Length: > 200 })
        {
            errors.Add("shiftIds", "At most 200 shifts.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await transactions.RunAsync<Results<Accepted<EventMessageReceipt>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var row = await EventRows.FindAsync(tx.Connection!, eventId, ct, tx);
            if (row is null || (row.Status == EventStatus.Draft && !caller.IsCoordinatorOf(row.Org)))
            {
                return Problem.NotFound("There is no such event.");
            }

            if (!caller.IsCoordinatorOf(row.Org))
            {
                return Problem.Forbidden("Only coordinators of the organisation write to an event's people.");
            }

            var shiftIds = request!.ShiftIds?.Distinct().ToArray();
            if (shiftIds is { Length: > 0 })
            {
                var ofEvent = await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT count(*) FROM shifts WHERE event_id = @eventId AND id = ANY(@shiftIds)", new { eventId, shiftIds }, tx, cancellationToken: ct));
                if (ofEvent != shiftIds.Length)
                {
                    return Problem.Validation("shiftIds", "Every shift must belong to this event.");
                }
            }

            const string recipients = $"""
                SELECT DISTINCT c.volunteer_id FROM claims c JOIN shifts s ON s.id = c.shift_id
                WHERE s.event_id = @eventId AND c.status = '{ClaimStatus.Confirmed}'
                  AND (@all OR s.id = ANY(@shiftIds))
                ORDER BY c.volunteer_id
                """;
            var people = (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(recipients,
                new { eventId, all = shiftIds is not { Length: > 0 }, shiftIds = shiftIds ?? [] }, tx, cancellationToken: ct))).ToList();
            var sender = await VolunteerNames.OfAsync(tx.Connection!, caller.RequiredId, ct, tx);

            var id = Guid.CreateVersion7();
            if (people.Count > 0)
            {
                await Outbox.EnqueueAsync(tx, new EventMessagePosted(id, row.Org, eventId, row.Title, caller.RequiredId,
                    string.IsNullOrWhiteSpace(sender) ? caller.Name ?? "" : sender, subject!, body!, people), ct);
            }

            return TypedResults.Accepted($"/api/events/{eventId}", new EventMessageReceipt(id, people.Count));
        }, cancellationToken);
    }
}
