using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;

namespace Shifts.Events.Events;

/// <summary>The events' routes: one handler per use case, each in the file of its name.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("").WithTags("Events");
        events.MapPost("/api/orgs/{org}/events", CreateEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Create an event, alone or as a weekly series, with its shifts, as a draft (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        events.MapGet("/api/orgs/{org}/events", ListEvents.Handle)
            .WithSummary("List an organisation's events in time order, paged (drafts and cancelled ones for coordinators only)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound);
        events.MapGet("/api/events/{eventId:guid}", GetEvent.Handle)
            .WithSummary("Get one event with its shifts (a draft for the organisation's coordinators only)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        events.MapPatch("/api/events/{eventId:guid}", EditEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Change an event's title, description or location (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled");
        events.MapPost("/api/events/{eventId:guid}/publish", PublishEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Publish a draft event, or with ?series=true every draft of its series, so its shifts can be claimed (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled", "event-postponed");
        events.MapPost("/api/events/{eventId:guid}/postpone", EventMoves.Postpone).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Postpone a published event: claims are kept and closed until it is rescheduled (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled", "event-not-published");
        events.MapPost("/api/events/{eventId:guid}/reschedule", EventMoves.Reschedule).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Move an event and its shifts to a new time; claims that would now overlap others are released (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled");
        events.MapPost("/api/events/{eventId:guid}/cancel", EventMoves.Cancel).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Cancel an event, or with following: true this occurrence of a series and every later one: every claim is released and its people told (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        events.MapPost("/api/events/{eventId:guid}/preview", PreviewEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Count what publish, postpone, reschedule or cancel would do (events, people told, claims released, overlaps, shifts) without doing it (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "event-cancelled", "event-postponed", "event-not-published");
        return app;
    }
}
