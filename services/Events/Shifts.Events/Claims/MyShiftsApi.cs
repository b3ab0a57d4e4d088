using Shifts.Events.Statuses;
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

public sealed record MyShifts(IReadOnlyList<MyShift> Claims, IReadOnlyList<MyWaitlistPlace> Waitlist, IReadOnlyList<object> Invitations);

/// <summary>GET /api/me/shifts: the caller's confirmed claims and waitlist places, in time order.</summary>
public static class MyShiftsApi
{
    public static IEndpointRouteBuilder MapMyShifts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/shifts", Mine).RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("My shifts")
            .WithSummary("The caller's confirmed claims and waitlist places in time order (from a day ago unless 'from' says otherwise)")
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

        const string sql = $"""
            SELECT 'claim' AS kind, c.id, c.status, 0 AS position,
                   s.id, s.event_id, e.title, s.kind, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
                   s.capacity, s.minimum, s.confirmed, s.waitlisted, s.required_qualification, s.newcomer_friendly, s.org
            FROM claims c JOIN shifts s ON s.id = c.shift_id JOIN events e ON e.id = s.event_id
            WHERE c.volunteer_id = @me AND c.status = '{ClaimStatus.Confirmed}' AND s.starts_at >= @from AND s.starts_at < @to
            UNION ALL
            SELECT 'waitlist', NULL, 'waiting',
                   (SELECT count(*) FROM waitlist_entries o WHERE o.shift_id = w.shift_id AND o.position <= w.position)::int,
                   s.id, s.event_id, e.title, s.kind, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
                   s.capacity, s.minimum, s.confirmed, s.waitlisted, s.required_qualification, s.newcomer_friendly, s.org
            FROM waitlist_entries w JOIN shifts s ON s.id = w.shift_id JOIN events e ON e.id = s.event_id
            WHERE w.volunteer_id = @me AND s.starts_at >= @from AND s.starts_at < @to
            ORDER BY 10
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var zones = new Dictionary<string, Organisation?>(StringComparer.Ordinal);
        var rows = new List<(string Kind, Guid? ClaimId, string Status, int Position, OpenShiftView Shift, string Org)>();
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            command.Parameters.AddWithValue("me", caller.RequiredId);
            command.Parameters.AddWithValue("from", fromInstant.ToUniversalTime());
            command.Parameters.AddWithValue("to", toInstant == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue.AddYears(-1) : toInstant.ToUniversalTime());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3),
                    new OpenShiftView(reader.GetGuid(4), reader.GetGuid(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                        reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10),
                        new LocationView(reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12)),
                        reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15), reader.GetInt32(16),
                        reader.IsDBNull(17) ? null : reader.GetString(17), reader.GetBoolean(18)), reader.GetString(19)));
            }
        }

        foreach (var org in rows.Select(r => r.Org).Distinct())
        {
            zones[org] = await Organisation.FindAsync(connection, org, cancellationToken);
        }

        OpenShiftView Local(OpenShiftView shift, string org) => zones[org] is { } o
            ? shift with { StartsAt = o.Local(shift.StartsAt), EndsAt = o.Local(shift.EndsAt) }
            : shift;

        return TypedResults.Ok(new MyShifts(
            rows.Where(r => r.Kind == "claim").Select(r => new MyShift(r.ClaimId!.Value, r.Status, Local(r.Shift, r.Org))).ToList(),
            rows.Where(r => r.Kind == "waitlist").Select(r => new MyWaitlistPlace(r.Position, Local(r.Shift, r.Org))).ToList(),
            []));
    }
}
