using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Events;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Attendance;

public sealed record CheckInCodeView(string Code, string Url);

public sealed record SelfCheckIn(string? Code);

/// <summary>
/// Self check-in on the spot: coordinators and leads print the event's QR code (its code and the
/// web page's address, <see cref="CheckInCodes"/>); a helper scans it, signs in and taps "I'm here",
/// which checks in their confirmed claim on the event's shift that is on now (from
/// <see cref="AttendanceApi.EarlyCheckIn"/> before its start to its end, as a coordinator's check-in).
/// </summary>
public static class SelfCheckInApi
{
    public const string NoShiftNow = "no-shift-now";
    public const string CodeInvalid = "check-in-code-invalid";

    public static IHostApplicationBuilder AddSelfCheckIn(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(CheckInCodes.FromConfiguration(builder));
        return builder;
    }

    public static IEndpointRouteBuilder MapSelfCheckIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/events/{eventId:guid}").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Attendance");
        group.MapGet("/check-in-code", Code)
            .WithSummary("The event's self check-in code and the address its QR code carries (coordinators and the event's shift leads)")
            .Produces<CheckInCodeView>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/here", HereAsync)
            .WithSummary("\"I'm here\": checks the caller in on their confirmed shift of the event that is on now, with the event's code")
            .WithDescription("From 60 minutes before the shift's start to its end. Answers as a coordinator's check-in; checking in again keeps the first time.")
            .Produces<AttendanceMark>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden, CodeInvalid)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, NoShiftNow);
        return app;
    }

    private static async Task<Results<Ok<CheckInCodeView>, ProblemHttpResult>> Code(
        Guid eventId, Caller caller, NpgsqlDataSource db, CheckInCodes codes, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await EventRows.FindAsync(connection, eventId, cancellationToken);
        if (row is null || !row.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such event.");
        }

        if (!caller.IsCoordinatorOf(row.Org) && !await ShiftLeads.LeadsEventAsync(connection, null, caller.RequiredId, eventId, cancellationToken))
        {
            return Problem.Forbidden("Only coordinators of the organisation and the event's shift leads get its check-in code.");
        }

        var code = await codes.CodeAsync(eventId, cancellationToken);
        return TypedResults.Ok(new CheckInCodeView(code, codes.Url(eventId, code)));
    }

    private static async Task<Results<Ok<AttendanceMark>, ProblemHttpResult>> HereAsync(
        Guid eventId, SelfCheckIn? request, Caller caller, Transactions transactions, CheckInCodes codes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Code))
        {
            return Problem.Validation("code", "'code' is required: the one in the address of the event's QR code.");
        }

        return await transactions.RunAsync<Results<Ok<AttendanceMark>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var row = await EventRows.FindAsync(tx.Connection!, eventId, ct, tx);
            if (row is null || !row.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such event.");
            }

            if (!await codes.IsValidAsync(eventId, request.Code, ct))
            {
                return Problem.Forbidden("This is not the event's check-in code: scan the QR code at the meeting point again.", CodeInvalid);
            }

            // The shift on now: the earliest one still running (or about to start) of the caller's confirmed claims.
            var now = time.GetUtcNow();
            var sql = $"""
                UPDATE claims SET no_show = false, checked_in_at = coalesce(checked_in_at, @now), checked_in_by = coalesce(checked_in_by, @me)
                WHERE id = (
                    SELECT c.id FROM claims c JOIN shifts s ON s.id = c.shift_id
                    WHERE s.event_id = @eventId AND s.status = '{ShiftStatus.Open}' AND c.volunteer_id = @me AND c.status = '{ClaimStatus.Confirmed}'
                      AND s.starts_at - @early <= @now AND @now <= s.ends_at
                    ORDER BY s.starts_at, s.id LIMIT 1
                    FOR UPDATE OF c)
                RETURNING id AS claim_id, volunteer_id, checked_in_at, no_show
                """;
            var marked = await tx.Connection!.QuerySingleOrDefaultAsync<StoredMark>(new CommandDefinition(
                sql, new { now, me = caller.RequiredId, eventId, early = AttendanceApi.EarlyCheckIn }, tx, cancellationToken: ct));
            if (marked is null)
            {
                return Problem.Conflict(NoShiftNow,
                    "You have no shift of this event now: check-in opens 60 minutes before your shift's start and closes at its end.");
            }

            return TypedResults.Ok(new AttendanceMark(marked.ClaimId, marked.VolunteerId,
                marked.CheckedInAt is { } at ? row.Local(at) : null, marked.NoShow));
        }, cancellationToken);
    }

    private sealed class StoredMark
    {
        public Guid ClaimId { get; init; }
        public Guid VolunteerId { get; init; }
        public DateTimeOffset? CheckedInAt { get; init; }
        public bool NoShow { get; init; }
    }
}
