using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Claims;
using Shifts.Events.Organisations;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Events.Shifts;

/// <summary>Shifts: adding them to an event, changing and cancelling them, reading one, and the open-shift list.</summary>
public static class ShiftsApi
{
    public static IEndpointRouteBuilder MapShifts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events/{eventId:guid}/shifts", CreateShift).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/shifts/{shiftId:guid}", GetShift).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPatch("/api/shifts/{shiftId:guid}", PatchShift).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/shifts/{shiftId:guid}/cancel", CancelShift).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}/shifts", ListShifts).RequireAuthorization(ShiftsAuthentication.SignedIn);
        return app;
    }

    private static async Task<Results<Created<ShiftView>, ProblemHttpResult>> CreateShift(
        Guid eventId, ShiftSpec spec, Caller caller, Transactions transactions, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        spec.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await transactions.RunAsync<(Guid? Id, ProblemHttpResult? Problem)>(async (tx, ct) =>
        {
            var facts = await EventFactsAsync(tx, eventId, ct);
            if (facts is null || (!caller.IsCoordinatorOf(facts.Org) && facts.Status == "draft"))
            {
                return (null, Problem.NotFound("There is no such event."));
            }

            if (!caller.IsCoordinatorOf(facts.Org))
            {
                return (null, Problem.Forbidden("Only coordinators of the organisation can add shifts."));
            }

            if (facts.Status == "cancelled")
            {
                return (null, Problem.Conflict("event-cancelled", "The event is cancelled."));
            }

            return (await ShiftRows.InsertAsync(tx, facts, spec, ct), null);
        }, cancellationToken);

        if (result.Problem is not null)
        {
            return result.Problem;
        }

        var view = await LoadViewAsync(db, result.Id!.Value, cancellationToken);
        return TypedResults.Created($"/api/shifts/{result.Id}", view!);
    }

    private static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> GetShift(Guid shiftId, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(db, shiftId, cancellationToken);
        if (view is null || (view.EventStatus == "draft" && !caller.IsCoordinatorOf(view.Org)))
        {
            return Problem.NotFound("There is no such shift.");
        }

        // Published shifts are public facts (the event page lists them); their staffing and
        // claimants' names are for the organisation's members.
        return caller.IsMemberOf(view.Org) ? TypedResults.Ok(view) : Problem.Forbidden("Only members of the organisation can see a shift's staffing.");
    }

    private static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> PatchShift(
        Guid shiftId, ShiftPatch patch, Caller caller, Transactions transactions, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var problem = await transactions.RunAsync<ProblemHttpResult?>(async (tx, ct) =>
        {
            var current = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (current is null || !current.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(current.Org))
            {
                return Problem.Forbidden("Only coordinators of the organisation can change shifts.");
            }

            var spec = await SpecAsync(tx, shiftId, ct);
            var changed = spec with
            {
                Title = patch.Title ?? spec.Title,
                StartsAt = patch.StartsAt ?? spec.StartsAt,
                EndsAt = patch.EndsAt ?? spec.EndsAt,
                Capacity = patch.Capacity ?? spec.Capacity,
                Minimum = patch.Minimum ?? spec.Minimum,
                RequiredQualification = patch.RequiredQualification ?? spec.RequiredQualification,
                NewcomerFriendly = patch.NewcomerFriendly ?? spec.NewcomerFriendly,
            };
            var errors = new ValidationErrors();
            changed.Validate(errors);
            if (errors.Any)
            {
                return errors.ToProblem();
            }

            if (changed.Capacity < current.Confirmed)
            {
                return Problem.Conflict("capacity-below-confirmed",
                    $"{current.Confirmed} people hold a place; the capacity cannot be lower than that.",
                    new Dictionary<string, object?> { ["confirmed"] = current.Confirmed });
            }

            var moved = changed.StartsAt != spec.StartsAt || changed.EndsAt != spec.EndsAt;
            var released = moved ? await ReleaseConflictsAsync(tx, shiftId, changed, ct) : [];

            await using (var update = new NpgsqlCommand("""
                UPDATE shifts SET title = @title, starts_at = @startsAt, ends_at = @endsAt, capacity = @capacity, minimum = @minimum,
                    required_qualification = @qualification, newcomer_friendly = @newcomerFriendly, updated_at = now()
                WHERE id = @id;
                UPDATE claims SET during = tstzrange(@startsAt, @endsAt, '[)') WHERE shift_id = @id AND status = 'confirmed';
                """, tx.Connection, tx))
            {
                update.Parameters.AddWithValue("id", shiftId);
                update.Parameters.AddWithValue("title", changed.Title!.Trim());
                update.Parameters.AddWithValue("startsAt", changed.StartsAt!.Value.ToUniversalTime());
                update.Parameters.AddWithValue("endsAt", changed.EndsAt!.Value.ToUniversalTime());
                update.Parameters.AddWithValue("capacity", changed.Capacity!.Value);
                update.Parameters.AddWithValue("minimum", changed.Minimum ?? 0);
                update.Parameters.AddWithValue("qualification", string.IsNullOrWhiteSpace(changed.RequiredQualification) ? DBNull.Value : changed.RequiredQualification.Trim());
                update.Parameters.AddWithValue("newcomerFriendly", changed.NewcomerFriendly ?? false);
                await update.ExecuteNonQueryAsync(ct);
            }

            var details = await ShiftRows.DetailsAsync(tx, shiftId, ct);
            foreach (var (claimId, volunteerId) in released)
            {
                await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, "reschedule-conflict", details!), ct);
            }

            var kept = await ClaimantIdsAsync(tx, shiftId, ct);
            await Outbox.EnqueueAsync(tx, new ShiftChanged(details!, spec.StartsAt!.Value.ToUniversalTime(), spec.EndsAt!.Value.ToUniversalTime(),
                changed.Capacity!.Value, changed.Minimum ?? 0, kept), ct);

            // More places, or places freed by released claims, go to the people waiting.
            await Waitlist.PromoteAsync(tx, shiftId, time.GetUtcNow(), ct);
            return null;
        }, cancellationToken);

        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok((await LoadViewAsync(db, shiftId, cancellationToken))!);
    }

    /// <summary>Claims on this shift whose new time overlaps another confirmed claim of the same person are released.</summary>
    private static async Task<List<(Guid ClaimId, Guid VolunteerId)>> ReleaseConflictsAsync(NpgsqlTransaction tx, Guid shiftId, ShiftSpec changed, CancellationToken ct)
    {
        const string sql = """
            WITH released AS (
                UPDATE claims c SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'reschedule-conflict'
                WHERE c.shift_id = @id AND c.status = 'confirmed'
                  AND EXISTS (
                      SELECT 1 FROM claims o
                      WHERE o.volunteer_id = c.volunteer_id AND o.status = 'confirmed' AND o.shift_id <> @id
                        AND o.during && tstzrange(@startsAt, @endsAt, '[)'))
                RETURNING c.id, c.volunteer_id
            ), counted AS (
                UPDATE shifts SET confirmed = confirmed - (SELECT count(*) FROM released) WHERE id = @id
            )
            SELECT id, volunteer_id FROM released
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("id", shiftId);
        command.Parameters.AddWithValue("startsAt", changed.StartsAt!.Value.ToUniversalTime());
        command.Parameters.AddWithValue("endsAt", changed.EndsAt!.Value.ToUniversalTime());
        var released = new List<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            released.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return released;
    }

    private static async Task<Results<Ok<ShiftView>, ProblemHttpResult>> CancelShift(
        Guid shiftId, CancelRequest? request, Caller caller, Transactions transactions, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (request?.Reason is { Length: > 1000 })
        {
            return Problem.Validation("reason", "'reason' may be at most 1000 characters long.");
        }

        var problem = await transactions.RunAsync<ProblemHttpResult?>(async (tx, ct) =>
        {
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct, forUpdate: true);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(shift.Org))
            {
                return Problem.Forbidden("Only coordinators of the organisation can cancel shifts.");
            }

            if (shift.Status == "cancelled")
            {
                return null;
            }

            const string sql = """
                WITH released AS (
                    UPDATE claims SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'shift-cancelled'
                    WHERE shift_id = @id AND status = 'confirmed'
                    RETURNING id, volunteer_id
                ), cleared AS (
                    DELETE FROM waitlist_entries WHERE shift_id = @id
                ), closed AS (
                    UPDATE shifts SET status = 'cancelled', confirmed = 0, waitlisted = 0, updated_at = now() WHERE id = @id
                )
                SELECT id, volunteer_id FROM released
                """;
            var released = new List<(Guid ClaimId, Guid VolunteerId)>();
            await using (var command = new NpgsqlCommand(sql, tx.Connection, tx))
            {
                command.Parameters.AddWithValue("id", shiftId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    released.Add((reader.GetGuid(0), reader.GetGuid(1)));
                }
            }

            var details = await ShiftRows.DetailsAsync(tx, shiftId, ct);
            foreach (var (claimId, volunteerId) in released)
            {
                await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, "shift-cancelled", details!), ct);
            }

            await Outbox.EnqueueAsync(tx, new ShiftCancelled(details!, released.Select(r => r.VolunteerId).ToList()), ct);
            return null;
        }, cancellationToken);

        return problem ?? (Results<Ok<ShiftView>, ProblemHttpResult>)TypedResults.Ok((await LoadViewAsync(db, shiftId, cancellationToken))!);
    }

    /// <summary>
    /// The open-shift list: one organisation's bookable shifts in time order, keyset-paged over
    /// (starts_at, id) on the partial index shifts_bookable, so a page costs the same wherever it is.
    /// </summary>
    private static async Task<Results<Ok<ShiftPage>, ProblemHttpResult>> ListShifts(
        string org,
        string? open,
        string? from,
        string? to,
        string? kind,
        string? qualification,
        string? newcomerFriendly,
        string? limit,
        string? cursor,
        Caller caller,
        NpgsqlDataSource db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!caller.IsMemberOf(org))
        {
            return Problem.Forbidden("Only members of the organisation can list its shifts.");
        }

        var errors = new ValidationErrors();
        var onlyOpen = ParseBool(errors, "open", open) ?? true;
        var onlyNewcomer = ParseBool(errors, "newcomerFriendly", newcomerFriendly);
        var fromInstant = ParseInstant(errors, "from", from) ?? time.GetUtcNow();
        var toInstant = ParseInstant(errors, "to", to);
        var pageSize = 50;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > 200))
        {
            errors.Add("limit", "'limit' must be a whole number between 1 and 200.");
        }

        var after = (StartsAt: fromInstant, Id: Guid.Empty);
        if (cursor is not null)
        {
            if (Cursor.TryDecode(cursor, out var cursorStart, out var cursorId))
            {
                after = (cursorStart, cursorId);
            }
            else
            {
                errors.Add("cursor", "'cursor' is not a cursor this API returned.");
            }
        }

        if (kind is { Length: > 50 } || qualification is { Length: > 50 })
        {
            errors.Add(kind is { Length: > 50 } ? "kind" : "qualification", "The filter value is too long.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var organisation = await Organisation.FindAsync(connection, org, cancellationToken);
        if (organisation is null)
        {
            return Problem.NotFound($"There is no organisation '{org}'.");
        }

        var sql = new StringBuilder("""
            SELECT s.id, s.event_id, e.title, s.kind, s.title, s.starts_at, s.ends_at, e.location_name, e.location_address,
                   s.capacity, s.minimum, s.confirmed, s.waitlisted, s.required_qualification, s.newcomer_friendly
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.org = @org AND s.status = 'open' AND s.event_status = 'published'
              AND (s.starts_at, s.id) > (@afterStart, @afterId)
              AND s.starts_at >= @from
            """);
        await using var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("afterStart", after.StartsAt.ToUniversalTime());
        command.Parameters.AddWithValue("afterId", after.Id);
        command.Parameters.AddWithValue("from", fromInstant.ToUniversalTime());
        if (toInstant is { } until)
        {
            sql.Append(" AND s.starts_at < @to");
            command.Parameters.AddWithValue("to", until.ToUniversalTime());
        }

        if (onlyOpen)
        {
            sql.Append(" AND s.confirmed < s.capacity");
        }

        if (kind is not null)
        {
            sql.Append(" AND s.kind = @kind");
            command.Parameters.AddWithValue("kind", kind);
        }

        if (qualification is not null)
        {
            sql.Append(" AND s.required_qualification = @qualification");
            command.Parameters.AddWithValue("qualification", qualification);
        }

        if (onlyNewcomer is { } newcomer)
        {
            sql.Append(" AND s.newcomer_friendly = @newcomer");
            command.Parameters.AddWithValue("newcomer", newcomer);
        }

        sql.Append(" ORDER BY s.starts_at, s.id LIMIT @limit");
        command.Parameters.AddWithValue("limit", pageSize + 1);
        command.CommandText = sql.ToString();

        var items = new List<OpenShiftView>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new OpenShiftView(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    organisation.Local(reader.GetFieldValue<DateTimeOffset>(5)), organisation.Local(reader.GetFieldValue<DateTimeOffset>(6)),
                    new LocationView(reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)),
                    reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12),
                    reader.IsDBNull(13) ? null : reader.GetString(13), reader.GetBoolean(14)));
            }
        }

        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(pageSize);
            next = Cursor.Encode(items[^1].StartsAt, items[^1].Id);
        }

        return TypedResults.Ok(new ShiftPage(items, next));
    }

    internal static async Task<ShiftView?> LoadViewAsync(NpgsqlDataSource db, Guid shiftId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        const string sql = """
            SELECT s.id, s.event_id, e.title, s.event_status, s.kind, s.title, s.starts_at, s.ends_at, s.org,
                   e.location_name, e.location_address, s.capacity, s.minimum, s.confirmed, s.waitlisted,
                   s.required_qualification, s.newcomer_friendly, s.status
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.id = @id
            """;
        ShiftView view;
        string org;
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            command.Parameters.AddWithValue("id", shiftId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            org = reader.GetString(8);
            view = new ShiftView(reader.GetGuid(0), reader.GetGuid(1), org, reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), "",
                new LocationView(reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10)),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14),
                reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetBoolean(16), reader.GetString(17), []);
        }

        var organisation = await Organisation.FindAsync(connection, org, cancellationToken);
        var claimants = new List<ClaimantView>();
        await using (var names = new NpgsqlCommand("""
            SELECT c.volunteer_id, coalesce(nullif(v.display_name, ''), 'Helper')
            FROM claims c LEFT JOIN volunteers v ON v.id = c.volunteer_id
            WHERE c.shift_id = @id AND c.status = 'confirmed'
            ORDER BY c.created_at
            """, connection))
        {
            names.Parameters.AddWithValue("id", shiftId);
            await using var reader = await names.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimants.Add(new ClaimantView(reader.GetGuid(0), reader.GetString(1)));
            }
        }

        // Answers show the organisation's local time, with its offset.
        var zoneOf = organisation?.TimeZone ?? Organisation.ZoneOrBerlin("Europe/Berlin");
        return view with
        {
            StartsAt = TimeZoneInfo.ConvertTime(view.StartsAt, zoneOf),
            EndsAt = TimeZoneInfo.ConvertTime(view.EndsAt, zoneOf),
            TimeZone = zoneOf.Id,
            Claimants = claimants,
        };
    }

    private static async Task<EventFacts?> EventFactsAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken ct)
    {
        // FOR SHARE: the event cannot be cancelled or rescheduled while a shift is being added to it.
        await using var command = new NpgsqlCommand(
            "SELECT id, org, title, kind, status, location_name, location_address FROM events WHERE id = @id FOR SHARE", tx.Connection, tx);
        command.Parameters.AddWithValue("id", eventId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new EventFacts(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6))
            : null;
    }

    private static async Task<ShiftSpec> SpecAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT title, starts_at, ends_at, capacity, minimum, required_qualification, newcomer_friendly FROM shifts WHERE id = @id", tx.Connection, tx);
        command.Parameters.AddWithValue("id", shiftId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ShiftSpec(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetInt32(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6));
    }

    private static async Task<List<Guid>> ClaimantIdsAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT volunteer_id FROM claims WHERE shift_id = @id AND status = 'confirmed'", tx.Connection, tx);
        command.Parameters.AddWithValue("id", shiftId);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static bool? ParseBool(ValidationErrors errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(name, $"'{name}' must be true or false.");
        return null;
    }

    private static DateTimeOffset? ParseInstant(ValidationErrors errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Instants.TryParse(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(name, $"'{name}' must be an ISO 8601 instant with an offset, e.g. 2026-06-13T10:00:00+02:00.");
        return null;
    }
}
