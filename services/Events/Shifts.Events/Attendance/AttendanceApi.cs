using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Events;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Time;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Attendance;

public sealed record AttendanceClaim(Guid ClaimId, Guid VolunteerId, string Name, DateTimeOffset? CheckedInAt, bool NoShow);

/// <summary>A lead of a shift (named by a coordinator): may run the event's check-in.</summary>
public sealed record AttendanceLead(Guid VolunteerId, string Name);

public sealed record AttendanceShift(Guid ShiftId, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<AttendanceClaim> Claims, IReadOnlyList<AttendanceLead> Leads);

/// <summary>An event's check-in list: per open shift, its confirmed claims and whether each person came.</summary>
public sealed record AttendanceView(Guid EventId, string EventTitle, IReadOnlyList<AttendanceShift> Shifts);

/// <summary>A claim's attendance after a check-in or a no-show.</summary>
public sealed record AttendanceMark(Guid ClaimId, Guid VolunteerId, DateTimeOffset? CheckedInAt, bool NoShow);

/// <summary>
/// Attendance on the day: the check-in list of an event, and checking a person in or marking them
/// as a no-show, for the organisation's coordinators and the leads of the event's shifts
/// (<see cref="ShiftLeads"/>). Either is allowed from <see cref="EarlyCheckIn"/> before the shift's
/// start to its end; each clears the other (a late arrival after a no-show is checked in).
/// </summary>
public static class AttendanceApi
{
    public const string OutsideShiftTime = "outside-shift-time";

    public static readonly TimeSpan EarlyCheckIn = TimeSpan.FromMinutes(60);

    public static IEndpointRouteBuilder MapAttendance(this IEndpointRouteBuilder app)
    {
        var attendance = app.MapGroup("").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Attendance");
        attendance.MapGet("/api/events/{eventId:guid}/attendance", List)
            .WithSummary("An event's check-in list: per open shift, its confirmed claims with check-in time and no-show")
            .WithDescription("For the organisation's coordinators and the leads of the event's shifts; each shift names its leads. Times are local to the organisation's time zone.")
            .Produces<AttendanceView>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        attendance.MapPost("/api/shifts/{shiftId:guid}/claims/{claimId:guid}/check-in", (Guid shiftId, Guid claimId, Caller caller, Transactions transactions,
                TimeProvider time, CancellationToken ct) => MarkAsync(shiftId, claimId, noShow: false, caller, transactions, time, ct))
            .WithSummary("Check a person in on their shift (clears a no-show)")
            .WithDescription("For the organisation's coordinators and the leads of the event's shifts, from 60 minutes before the shift's start to its end. Checking in again keeps the first time.")
            .Produces<AttendanceMark>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, OutsideShiftTime);
        attendance.MapPost("/api/shifts/{shiftId:guid}/claims/{claimId:guid}/no-show", (Guid shiftId, Guid claimId, Caller caller, Transactions transactions,
                TimeProvider time, CancellationToken ct) => MarkAsync(shiftId, claimId, noShow: true, caller, transactions, time, ct))
            .WithSummary("Mark a person as not having come to their shift (clears a check-in)")
            .WithDescription("For the organisation's coordinators and the leads of the event's shifts, from 60 minutes before the shift's start to its end. A no-show counts no hours.")
            .Produces<AttendanceMark>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, OutsideShiftTime);
        return app;
    }

    private static async Task<Results<Ok<AttendanceView>, ProblemHttpResult>> List(
        Guid eventId, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await EventRows.FindAsync(connection, eventId, cancellationToken);
        if (row is null || (row.Status == EventStatus.Draft && !caller.IsCoordinatorOf(row.Org)))
        {
            return Problem.NotFound("There is no such event.");
        }

        if (!caller.IsCoordinatorOf(row.Org) && !(caller.Id is { } me && await ShiftLeads.LeadsEventAsync(connection, null, me, eventId, cancellationToken)))
        {
            return Problem.Forbidden("Only coordinators of the organisation and the event's shift leads can see its check-in list.");
        }

        const string sql = """
            SELECT s.id AS shift_id, s.title, s.starts_at, s.ends_at, c.id AS claim_id, c.volunteer_id, v.display_name, c.checked_in_at, c.no_show
            FROM shifts s
            LEFT JOIN claims c ON c.shift_id = s.id AND c.status = 'confirmed'
            LEFT JOIN volunteers v ON v.id = c.volunteer_id
            WHERE s.event_id = @eventId AND s.status = 'open'
            ORDER BY s.starts_at, s.id, v.display_name, c.volunteer_id
            """;
        var stored = await connection.QueryAsync<StoredRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        var leads = await ShiftLeads.OfEventAsync(connection, eventId, cancellationToken);
        var shifts = stored.GroupBy(r => r.ShiftId).Select(group =>
        {
            var first = group.First();
            var claims = group.Where(r => r.ClaimId is not null)
                .Select(r => new AttendanceClaim(r.ClaimId!.Value, r.VolunteerId!.Value, r.DisplayName ?? "",
                    r.CheckedInAt is { } at ? row.Local(at) : null, r.NoShow ?? false))
                .ToList();
            return new AttendanceShift(first.ShiftId, first.Title, row.Local(first.StartsAt), row.Local(first.EndsAt), claims, leads[first.ShiftId].ToList());
        }).ToList();
        return TypedResults.Ok(new AttendanceView(row.Id, row.Title, shifts));
    }

    private static async Task<IResult> MarkAsync(
        Guid shiftId, Guid claimId, bool noShow, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        return await transactions.RunAsync<IResult>(async (tx, ct) =>
        {
            const string find = """
                SELECT s.org, s.event_id, s.event_status, s.starts_at, s.ends_at, coalesce(o.time_zone, '') AS time_zone
                FROM shifts s LEFT JOIN organisations o ON o.slug = s.org
                WHERE s.id = @shiftId
                """;
            var shift = await tx.Connection!.QuerySingleOrDefaultAsync<StoredShift>(new CommandDefinition(find, new { shiftId }, tx, cancellationToken: ct));
            if (shift is null || (shift.EventStatus == EventStatus.Draft && !caller.IsCoordinatorOf(shift.Org)))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(shift.Org) && !await ShiftLeads.LeadsEventAsync(tx.Connection!, tx, caller.RequiredId, shift.EventId, ct))
            {
                return Problem.Forbidden("Only coordinators of the organisation and the event's shift leads can check people in.");
            }

            var now = time.GetUtcNow();
            if (now < shift.StartsAt - EarlyCheckIn || now > shift.EndsAt)
            {
                return Problem.Conflict(OutsideShiftTime,
                    "People are checked in (or marked as not having come) from 60 minutes before the shift's start until its end.",
                    new Dictionary<string, object?> { ["from"] = shift.StartsAt - EarlyCheckIn, ["until"] = shift.EndsAt });
            }

            // Checking in again keeps the first time; a no-show forgets a check-in, a check-in a no-show.
            var mark = noShow
                ? "UPDATE claims SET no_show = true, checked_in_at = NULL, checked_in_by = NULL"
                : "UPDATE claims SET no_show = false, checked_in_at = coalesce(checked_in_at, @now), checked_in_by = coalesce(checked_in_by, @caller)";
            var sql = mark + " WHERE id = @claimId AND shift_id = @shiftId AND status = 'confirmed' RETURNING id AS claim_id, volunteer_id, checked_in_at, no_show";
            var marked = await tx.Connection!.QuerySingleOrDefaultAsync<StoredMark>(new CommandDefinition(
                sql, new { claimId, shiftId, now, caller = caller.RequiredId }, tx, cancellationToken: ct));
            if (marked is null)
            {
                return Problem.NotFound("This shift has no such confirmed claim.");
            }

            var zone = TimeZones.Find(shift.TimeZone);
            return TypedResults.Ok(new AttendanceMark(marked.ClaimId, marked.VolunteerId,
                marked.CheckedInAt is { } at ? TimeZoneInfo.ConvertTime(at, zone) : null, marked.NoShow));
        }, cancellationToken);
    }

    private sealed class StoredRow
    {
        public Guid ShiftId { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public Guid? ClaimId { get; init; }
        public Guid? VolunteerId { get; init; }
        public string? DisplayName { get; init; }
        public DateTimeOffset? CheckedInAt { get; init; }
        public bool? NoShow { get; init; }
    }

    private sealed class StoredShift
    {
        public string Org { get; init; } = "";
        public Guid EventId { get; init; }
        public string EventStatus { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string TimeZone { get; init; } = "";
    }

    private sealed class StoredMark
    {
        public Guid ClaimId { get; init; }
        public Guid VolunteerId { get; init; }
        public DateTimeOffset? CheckedInAt { get; init; }
        public bool NoShow { get; init; }
    }
}
