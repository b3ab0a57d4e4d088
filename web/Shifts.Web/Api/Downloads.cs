namespace Shifts.Web.Api;

/// <summary>
/// Files a page links to, streamed from the API with the person's token: a shift's calendar entry
/// and the data export. Plain GETs, so they work as links without JavaScript.
/// </summary>
public static class Downloads
{
    public static void MapDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/shifts/{shiftId:guid}.ics", (Guid shiftId, ShiftsApi api, HttpContext context) =>
            ForwardAsync(api, context, $"/api/shifts/{shiftId}/calendar.ics", "text/calendar", $"shift-{shiftId}.ics"))
            .RequireAuthorization();

        app.MapGet("/me/export", (ShiftsApi api, HttpContext context) =>
            ForwardAsync(api, context, "/api/me/export", "application/json", $"shifts-my-data-{DateTime.UtcNow:yyyy-MM-dd}.json"))
            .RequireAuthorization();

        // The coordinators' spreadsheets (CSV, UTF-8 with BOM as the API writes them).
        app.MapGet("/events/{eventId:guid}/plan.csv", (Guid eventId, ShiftsApi api, HttpContext context) =>
            ForwardAsync(api, context, $"/api/events/{eventId}/plan", "text/csv; charset=utf-8", $"plan-{eventId}.csv", accept: "text/csv"))
            .RequireAuthorization();

        app.MapGet("/orgs/{org}/hours.csv", (string org, string? from, string? to, ShiftsApi api, HttpContext context) =>
            ForwardAsync(api, context, $"/api/orgs/{Uri.EscapeDataString(org)}/hours?from={Uri.EscapeDataString(from ?? "")}&to={Uri.EscapeDataString(to ?? "")}",
                "text/csv; charset=utf-8", $"hours-{org}-{from}-{to}.csv", accept: "text/csv"))
            .RequireAuthorization();
    }

    private static async Task<IResult> ForwardAsync(ShiftsApi api, HttpContext context, string path, string contentType, string fileName, string? accept = null)
    {
        var (response, problem) = await api.DownloadAsync(path, context.RequestAborted, accept);
        if (response is null)
        {
            return problem!.Status == 404 ? Results.LocalRedirect("/not-found") : Results.StatusCode(problem.Status >= 500 ? 503 : problem.Status);
        }

        context.Response.RegisterForDispose(response);
        return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted), contentType, fileName);
    }
}
