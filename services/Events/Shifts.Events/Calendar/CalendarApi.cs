using Shifts.Events.Statuses;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Calendar;

/// <summary>The address of a person's private calendar feed (an https URL ending in .ics; calendar apps subscribe to it).</summary>
public sealed record CalendarFeedLink(string Url);

/// <summary>
/// Shifts in people's calendars: a private iCal feed per person (a secret URL, for calendar apps
/// that cannot sign in), and one shift's entry as a file for the web app's ".ics download". Both
/// give a shift the same UID and SEQUENCE for the same person (<see cref="ShiftCalendar"/>).
/// </summary>
public static class CalendarApi
{
    /// <summary>Calendar apps look again every few hours at most; a few minutes in the person's own cache is harmless.</summary>
    private const string FeedCaching = "private, max-age=300";

    public static IHostApplicationBuilder AddCalendarFeeds(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = FeedKey.FromConfiguration(builder);
        builder.Services.AddSingleton(services => new FeedKey(configured, services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton(CalendarLinks.From(builder.Configuration));
        return builder;
    }

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        var calendar = app.MapGroup("").WithTags("Calendar");
        calendar.MapGet("/api/me/calendar", MyFeed)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("The caller's private calendar feed")
            .WithDescription("Answers the URL of an iCal feed of the caller's shifts, for a calendar app to subscribe to. The first call creates it; "
                + "later calls answer the same URL. Anyone who has the URL can read the feed: treat it like a password, and rotate it if it got out.");
        calendar.MapPost("/api/me/calendar/rotate", Rotate)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Replace the caller's calendar feed URL")
            .WithDescription("Answers a new feed URL; the old one answers 404 from now on, so every calendar subscribed to it must subscribe again.");
        calendar.MapGet("/api/calendar/{feedToken}.ics", Feed)
            .WithSummary("A person's shifts as an iCal feed (RFC 5545)")
            .WithDescription("For whoever holds the URL (calendar apps send no sign-in). One event per shift the person holds, from eight weeks back on, "
                + "in the organisation's time zone; shifts cancelled (or whose event was cancelled) while the person held them stay, with STATUS:CANCELLED. "
                + "A shift keeps its UID, and its SEQUENCE rises when its time, place, title or status changes. An unknown or replaced token is a 404.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblems(StatusCodes.Status404NotFound);
        calendar.MapGet("/api/shifts/{shiftId:guid}/calendar.ics", ShiftEntry)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("One shift as an .ics file")
            .WithDescription("The shift's calendar entry for the caller, with the UID and SEQUENCE the caller's feed gives it (and the confirmation mail's "
                + "attachment, for a shift the caller claimed), so importing it twice keeps one entry. For members of the shift's organisation.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<CalendarFeedLink>> MyFeed(
        Caller caller, FeedKey key, Transactions transactions, CalendarLinks links, HttpResponse response, CancellationToken cancellationToken)
    {
        var secret = await key.GetAsync(cancellationToken);
        var token = await transactions.RunAsync((tx, ct) => FeedTokens.EnsureAsync(tx, caller.RequiredId, secret, ct), cancellationToken);
        return Link(response, links, token);
    }

    private static async Task<Ok<CalendarFeedLink>> Rotate(
        Caller caller, FeedKey key, Transactions transactions, CalendarLinks links, HttpResponse response, CancellationToken cancellationToken)
    {
        var secret = await key.GetAsync(cancellationToken);
        var token = await transactions.RunAsync((tx, ct) => FeedTokens.RotateAsync(tx, caller.RequiredId, secret, ct), cancellationToken);
        return Link(response, links, token);
    }

    private static Ok<CalendarFeedLink> Link(HttpResponse response, CalendarLinks links, string token)
    {
        // The answer is a secret: no cache keeps it.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new CalendarFeedLink(links.Feed(token)));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Feed(
        string feedToken, NpgsqlDataSource db, CalendarLinks links, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        // The URL is a secret: nothing that finds it (a shared link, a proxy log) may index it.
        response.Headers["X-Robots-Tag"] = "noindex, nofollow, noarchive";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (await FeedTokens.OwnerAsync(connection, feedToken, cancellationToken) is not { } owner)
        {
            response.Headers.CacheControl = "no-store";
            return Problem.NotFound("There is no such calendar feed; it may have been replaced by a new one.");
        }

        var entries = await CalendarEntries.FeedAsync(connection, owner, time.GetUtcNow(), cancellationToken);
        response.Headers.CacheControl = FeedCaching;
        return TypedResults.Text(ShiftCalendar.Feed(entries, links), ShiftCalendar.ContentType);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShiftEntry(
        Guid shiftId, Caller caller, NpgsqlDataSource db, CalendarLinks links, HttpResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var found = await CalendarEntries.ShiftAsync(connection, shiftId, caller.RequiredId, cancellationToken);
        // As GET /api/shifts/{id}: drafts exist for the organisation's coordinators only; a
        // published shift is a public fact, its details are for members.
        if (found is not { } shift || (shift.EventStatus == EventStatus.Draft && !caller.IsCoordinatorOf(shift.Entry.Org)))
        {
            return Problem.NotFound("There is no such shift.");
        }

        if (!caller.IsMemberOf(shift.Entry.Org))
        {
            return Problem.Forbidden("Only members of the organisation can download a shift's calendar entry.");
        }

        response.Headers.CacheControl = "private, no-cache";
        response.Headers.ContentDisposition = "attachment; filename=\"shift.ics\"";
        return TypedResults.Text(ShiftCalendar.Single(shift.Entry, links), ShiftCalendar.ContentType);
    }
}
