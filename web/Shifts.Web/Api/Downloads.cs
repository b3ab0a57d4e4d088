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
    }

    private static async Task<IResult> ForwardAsync(ShiftsApi api, HttpContext context, string path, string contentType, string fileName)
    {
        var (response, problem) = await api.DownloadAsync(path, context.RequestAborted);
        if (response is null)
        {
            return problem!.Status == 404 ? Results.LocalRedirect("/not-found") : Results.StatusCode(problem.Status >= 500 ? 503 : problem.Status);
        }

        context.Response.RegisterForDispose(response);
        return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted), contentType, fileName);
    }
}
