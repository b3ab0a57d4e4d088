using Shifts.ServiceDefaults.Auth;

namespace Shifts.Events.Events;

/// <summary>The events' routes: one handler per use case, each in the file of its name.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orgs/{org}/events", CreateEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}/events", ListEvents.Handle);
        app.MapGet("/api/events/{eventId:guid}", GetEvent.Handle);
        app.MapPatch("/api/events/{eventId:guid}", EditEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/publish", PublishEvent.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/postpone", EventMoves.Postpone).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/reschedule", EventMoves.Reschedule).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/cancel", EventMoves.Cancel).RequireAuthorization(ShiftsAuthentication.SignedIn);
        return app;
    }
}
