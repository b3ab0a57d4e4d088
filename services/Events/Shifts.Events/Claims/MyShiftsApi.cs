using Shifts.Events.Statuses;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Claims;

public sealed record MyShift(Guid ClaimId, string Status, OpenShiftView Shift);

public sealed record MyWaitlistPlace(int Position, OpenShiftView Shift);

/// <summary>A coordinator's pending invitation to the caller; answered by POST /api/invitations/{id}/accept · /decline.</summary>
public sealed record MyInvitation(Guid Id, OpenShiftView Shift, string? Message, DateTimeOffset ExpiresAt, string InvitedByName);

public sealed record MyShifts(IReadOnlyList<MyShift> Claims, IReadOnlyList<MyWaitlistPlace> Waitlist, IReadOnlyList<MyInvitation> Invitations);

/// <summary>GET /api/me/shifts: the caller's confirmed claims, waitlist places and pending invitations, in time order.</summary>
public static class MyShiftsApi
{
    public static IEndpointRouteBuilder MapMyShifts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/shifts", Mine).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("My shifts")
            .WithSummary("The caller's confirmed claims, waitlist places and pending invitations in time order (from a day ago unless 'from' says otherwise)")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<MyShifts>, ProblemHttpResult>> Mine(
        string? from, string? to, Caller caller, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        DateTimeOffset fromInstant = time.GetUtcNow() - TimeSpan.FromDays(1), toInstant = DateTimeOffset.MaxValue;
        if (from is not null && !Instants.TryParse(from, out fromInstant))
        {
            errors.Add("from", "'from' must be an ISO 8601 instant with an offset.");
        }

        if (to is not null && !Instants.TryParse(to, out toInstant))
        {
            errors.Add("to", "'to' must be an ISO 8601 instant with an offset.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // One list in time order (the column names are the first SELECT's).
        const string sql = $"""
            SELECT 'claim' AS entry, c.id AS claim_id, c.status, 0 AS position, {OpenShiftRow.Columns}, s.org
            FROM claims c JOIN shifts s ON s.id = c.shift_id JOIN events e ON e.id = s.event_id
            WHERE c.volunteer_id = @me AND c.status = '{ClaimStatus.Confirmed}' AND s.starts_at >= @from AND s.starts_at < @to
            UNION ALL
            SELECT 'waitlist', NULL, 'waiting',
                   (SELECT count(*) FROM waitlist_entries o WHERE o.shift_id = w.shift_id AND o.position <= w.position)::int,
                   {OpenShiftRow.Columns}, s.org
            FROM waitlist_entries w JOIN shifts s ON s.id = w.shift_id JOIN events e ON e.id = s.event_id
            WHERE w.volunteer_id = @me AND s.starts_at >= @from AND s.starts_at < @to
            ORDER BY starts_at
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new
        {
            me = caller.RequiredId,
            now = time.GetUtcNow(),
            from = fromInstant.ToUniversalTime(),
            to = toInstant == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue.AddYears(-1) : toInstant.ToUniversalTime(),
        };
        var rows = (await connection.QueryAsync<MyShiftRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();

        var zones = new Dictionary<string, Organisation?>(StringComparer.Ordinal);
        foreach (var org in rows.Select(r => r.Org).Distinct())
        {
            zones[org] = await Organisation.FindAsync(connection, org, cancellationToken);
        }

        OpenShiftView Local(MyShiftRow row) => row.ToView(zones[row.Org]);

        // Pending invitations: not answered, not lapsed, on a shift that is still on.
        const string invitations = $"""
            SELECT i.id AS invitation_id, i.message, i.expires_at, coalesce(nullif(b.display_name, ''), '') AS invited_by_name, {OpenShiftRow.Columns}, s.org
            FROM shift_invitations i JOIN shifts s ON s.id = i.shift_id JOIN events e ON e.id = s.event_id
            LEFT JOIN volunteers b ON b.id = i.invited_by
            WHERE i.volunteer_id = @me AND i.state = 'sent' AND i.expires_at > @now AND s.status = '{ShiftStatus.Open}'
              AND e.status IN ('{EventStatus.Published}', '{EventStatus.Postponed}') AND s.starts_at >= @from AND s.starts_at < @to
            ORDER BY s.starts_at, i.id
            """;
        var invited = (await connection.QueryAsync<InvitationRow>(new CommandDefinition(invitations, parameters, cancellationToken: cancellationToken))).ToList();
        foreach (var org in invited.Select(r => r.Org).Where(o => !zones.ContainsKey(o)).Distinct())
        {
            zones[org] = await Organisation.FindAsync(connection, org, cancellationToken);
        }

        return TypedResults.Ok(new MyShifts(
            rows.Where(r => r.Entry == "claim").Select(r => new MyShift(r.ClaimId!.Value, r.Status, Local(r))).ToList(),
            rows.Where(r => r.Entry == "waitlist").Select(r => new MyWaitlistPlace(r.Position, Local(r))).ToList(),
            invited.Select(r => new MyInvitation(r.InvitationId, r.ToView(zones[r.Org]), r.Message,
                zones[r.Org]?.Local(r.ExpiresAt) ?? r.ExpiresAt, r.InvitedByName)).ToList()));
    }

    /// <summary>A claim ("claim") or a waitlist place ("waitlist") with its shift.</summary>
    private sealed class MyShiftRow : OpenShiftRow
    {
        public string Entry { get; init; } = "";
        public Guid? ClaimId { get; init; }
        public string Status { get; init; } = "";
        public int Position { get; init; }
        public string Org { get; init; } = "";
    }

    private sealed class InvitationRow : OpenShiftRow
    {
        public Guid InvitationId { get; init; }
        public string? Message { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public string InvitedByName { get; init; } = "";
        public string Org { get; init; } = "";
    }
}
