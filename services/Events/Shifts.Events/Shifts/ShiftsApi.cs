using Shifts.ServiceDefaults.Auth;

namespace Shifts.Events.Shifts;

/// <summary>The shifts' routes: one handler per use case, each in the file of its name.</summary>
public static class ShiftsApi
{
    public static IEndpointRouteBuilder MapShifts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events/{eventId:guid}/shifts", CreateShift.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/shifts/{shiftId:guid}", GetShift.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPatch("/api/shifts/{shiftId:guid}", PatchShift.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/shifts/{shiftId:guid}/cancel", CancelShift.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}/shifts", ListShifts.Handle).RequireAuthorization(ShiftsAuthentication.SignedIn);
        return app;
    }
}
