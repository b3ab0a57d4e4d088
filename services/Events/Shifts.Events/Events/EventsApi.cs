using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Shifts.Contracts;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;
using EventAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Shifts.Events.Events.EventView>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Shifts.Events.Events;

/// <summary>
/// Events: creating them (alone or as a weekly series, with their shift pattern), listing and
/// reading them, editing and publishing. Moving and cancelling them is in <see cref="EventMoves"/>.
/// </summary>
public static class EventsApi
{
    public const int MaxShiftsPerEvent = 50;
    public const int MaxShiftsPerSeries = 2000;
    public const int MaxDescription = 4000;
    public const int MaxPageSize = 100;

    /// <summary>The longest event (a festival week plus set-up and tear-down).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);

    /// <summary>How far before its event a shift may start and after it end (set-up, tear-down).</summary>
    public static readonly TimeSpan ShiftMargin = TimeSpan.FromHours(12);

    /// <summary>Instants outside these are typing errors, and would overflow date arithmetic near the ends of the calendar.</summary>
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions RuleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orgs/{org}/events", CreateEvent).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}/events", ListEvents);
        app.MapGet("/api/events/{eventId:guid}", GetEvent);
        app.MapPatch("/api/events/{eventId:guid}", EditEvent).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/publish", PublishEvent).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/postpone", EventMoves.Postpone).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/reschedule", EventMoves.Reschedule).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapPost("/api/events/{eventId:guid}/cancel", EventMoves.Cancel).RequireAuthorization(ShiftsAuthentication.SignedIn);
        return app;
    }

    private static async Task<Results<Created<EventView>, ProblemHttpResult>> CreateEvent(
        string org, NewEvent request, Caller caller, NpgsqlDataSource db, Transactions transactions, CancellationToken cancellationToken)
    {
        Organisation? organisation;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            organisation = await Organisation.FindAsync(connection, org, cancellationToken);
        }

        if (organisation is null)
        {
            return Problem.NotFound($"There is no organisation '{org}'.");
        }

        if (!caller.IsCoordinatorOf(org))
        {
            return Problem.Forbidden("Only coordinators of the organisation can create events.");
        }

        var errors = new ValidationErrors();
        var times = Validate(request, errors);
        IReadOnlyList<int> days = [0];
        if (request.Recurrence is { } rule && times is { } valid)
        {
            var firstDate = DateOnly.FromDateTime(organisation.Local(valid.StartsAt).DateTime);
            days = Recurrence.OccurrenceDays(rule, firstDate, errors) ?? [];
            if (days.Count * (request.Shifts?.Count ?? 0) > MaxShiftsPerSeries)
            {
                errors.Add("recurrence", $"A series may hold at most {MaxShiftsPerSeries} shifts in all; this one would have {days.Count * request.Shifts!.Count}.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var created = await transactions.RunAsync(async (tx, ct) =>
        {
            Guid? seriesId = null;
            if (request.Recurrence is { } recurrence)
            {
                seriesId = Guid.CreateVersion7();
                await InsertSeriesAsync(tx, seriesId.Value, org, recurrence, organisation.TimeZone.Id, ct);
            }

            var occurrences = new List<OccurrenceView>();
            foreach (var day in days)
            {
                var (startsAt, endsAt) = Occurrence(request.StartsAt!.Value, request.EndsAt!.Value, day, organisation.TimeZone);
                var facts = await InsertEventAsync(tx, org, seriesId, request, startsAt, endsAt, caller.RequiredId, ct);
                foreach (var shift in request.Shifts ?? [])
                {
                    var (shiftStart, shiftEnd) = Occurrence(shift.StartsAt!.Value, shift.EndsAt!.Value, day, organisation.TimeZone);
                    await ShiftRows.InsertAsync(tx, facts, shift with { StartsAt = shiftStart, EndsAt = shiftEnd }, ct);
                }

                occurrences.Add(new OccurrenceView(facts.EventId, organisation.Local(startsAt)));
            }

            var view = await EventRows.ViewAsync(tx, occurrences[0].Id, ct);
            return seriesId is null ? view : view with { Occurrences = occurrences };
        }, cancellationToken);

        return TypedResults.Created($"/api/events/{created.Id}", created);
    }

    /// <summary>
    /// One occurrence's start and end: the same local wall-clock times, <paramref name="day"/> local
    /// days after the first. Should a skipped spring hour fold an occurrence onto itself, it keeps
    /// its length instead.
    /// </summary>
    private static (DateTimeOffset StartsAt, DateTimeOffset EndsAt) Occurrence(DateTimeOffset startsAt, DateTimeOffset endsAt, int day, TimeZoneInfo zone)
    {
        var start = Recurrence.SameLocalTime(startsAt, day, zone);
        var end = Recurrence.SameLocalTime(endsAt, day, zone);
        return (start, end > start ? end : start + (endsAt - startsAt));
    }

    /// <summary>Every field of a new event and its shifts; returns the event's times when they are valid.</summary>
    private static (DateTimeOffset StartsAt, DateTimeOffset EndsAt)? Validate(NewEvent request, ValidationErrors errors)
    {
        errors.Text("title", request.Title, 200);
        errors.Required("kind", request.Kind);
        errors.Text("description", request.Description, MaxDescription, required: false);
        ValidateLocation(request.Location, errors, required: true);
        var times = ValidateTimes(request.StartsAt, request.EndsAt, errors);

        // Shifts are checked even when the event's times are not, so one answer names every problem it can.
        if (request.Shifts is { Count: > MaxShiftsPerEvent })
        {
            errors.Add("shifts", $"An event may be created with at most {MaxShiftsPerEvent} shifts.");
            return times;
        }

        var startsAt = times?.StartsAt;
        var endsAt = times?.EndsAt;

        for (var i = 0; i < (request.Shifts?.Count ?? 0); i++)
        {
            var prefix = $"shifts[{i}].";
            var shift = request.Shifts![i];
            if (shift is null)
            {
                errors.Add($"shifts[{i}]", $"'shifts[{i}]' must be a shift, not null.");
                continue;
            }

            shift.Validate(errors, prefix);
            if (startsAt is { } eventStart && shift.StartsAt is { } shiftStart && shiftStart < eventStart - ShiftMargin)
            {
                errors.Add(prefix + "startsAt", $"A shift may start at most {ShiftMargin.TotalHours:0} hours before its event.");
            }

            if (endsAt is { } eventEnd && shift.EndsAt is { } shiftEnd && shiftEnd > eventEnd + ShiftMargin)
            {
                errors.Add(prefix + "endsAt", $"A shift may end at most {ShiftMargin.TotalHours:0} hours after its event.");
            }
        }

        return times;
    }

    internal static void ValidateLocation(EventLocation? location, ValidationErrors errors, bool required)
    {
        if (location is null)
        {
            if (required)
            {
                errors.Add("location", "'location' is required, with at least a 'name'.");
            }

            return;
        }

        if (required || location.Name is not null)
        {
            errors.Text("location.name", location.Name, 200);
        }

        errors.Text("location.address", location.Address, 300, required: false);
    }

    /// <summary>An event's start and end: both given, in a sane range, in order, and at most <see cref="MaxDuration"/> apart.</summary>
    internal static (DateTimeOffset StartsAt, DateTimeOffset EndsAt)? ValidateTimes(DateTimeOffset? startsAt, DateTimeOffset? endsAt, ValidationErrors errors)
    {
        errors.Required("startsAt", startsAt);
        errors.Required("endsAt", endsAt);
        var valid = startsAt is not null && endsAt is not null;
        foreach (var (field, value) in new[] { ("startsAt", startsAt), ("endsAt", endsAt) })
        {
            if (value is { } instant && (instant < Earliest || instant >= Latest))
            {
                errors.Add(field, $"'{field}' must lie between the years {Earliest.Year} and {Latest.Year - 1}.");
                valid = false;
            }
        }

        if (!valid)
        {
            return null;
        }

        if (endsAt <= startsAt)
        {
            errors.Add("endsAt", "'endsAt' must be after 'startsAt'.");
            return null;
        }

        if (endsAt - startsAt > MaxDuration)
        {
            errors.Add("endsAt", $"An event may last at most {MaxDuration.TotalDays:0} days.");
            return null;
        }

        return (startsAt!.Value, endsAt!.Value);
    }

    private static async Task InsertSeriesAsync(NpgsqlTransaction tx, Guid id, string org, RecurrenceRule rule, string timeZone, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("INSERT INTO series (id, org, rule) VALUES (@id, @org, @rule)", tx.Connection, tx);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("rule", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(
            new { frequency = "weekly", weekdays = rule.Weekdays!.Distinct().Order(), rule.Until, rule.Count, timeZone }, RuleJson));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<EventFacts> InsertEventAsync(
        NpgsqlTransaction tx, string org, Guid? seriesId, NewEvent request, DateTimeOffset startsAt, DateTimeOffset endsAt, Guid createdBy, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO events (id, org, series_id, title, kind, description, location_name, location_address, starts_at, ends_at, status, created_by)
            VALUES (@id, @org, @seriesId, @title, @kind, @description, @locationName, @locationAddress, @startsAt, @endsAt, 'draft', @createdBy)
            """;
        var facts = new EventFacts(Guid.CreateVersion7(), org, request.Title!.Trim(), EventKinds.Code(request.Kind!.Value),
            EventStatus.Draft, request.Location!.Name!.Trim(), Blank(request.Location.Address));
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("id", facts.EventId);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("seriesId", NpgsqlDbType.Uuid, (object?)seriesId ?? DBNull.Value);
        command.Parameters.AddWithValue("title", facts.Title);
        command.Parameters.AddWithValue("kind", facts.Kind);
        command.Parameters.AddWithValue("description", NpgsqlDbType.Text, (object?)Blank(request.Description) ?? DBNull.Value);
        command.Parameters.AddWithValue("locationName", facts.LocationName);
        command.Parameters.AddWithValue("locationAddress", NpgsqlDbType.Text, (object?)facts.LocationAddress ?? DBNull.Value);
        command.Parameters.AddWithValue("startsAt", startsAt.ToUniversalTime());
        command.Parameters.AddWithValue("endsAt", endsAt.ToUniversalTime());
        command.Parameters.AddWithValue("createdBy", createdBy);
        await command.ExecuteNonQueryAsync(ct);
        return facts;
    }

    /// <summary>
    /// An organisation's events in time order, keyset-paged over (starts_at, id) on the index
    /// events_org_starts. Everyone sees published and postponed events; the organisation's
    /// coordinators also see drafts and cancelled ones. "from" keeps events that are still running.
    /// </summary>
    private static async Task<Results<Ok<EventPage>, ProblemHttpResult>> ListEvents(
        string org,
        string? from,
        string? to,
        string? kind,
        string? limit,
        string? cursor,
        Caller caller,
        NpgsqlDataSource db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fromInstant = ParseInstant(errors, "from", from) ?? time.GetUtcNow();
        var toInstant = ParseInstant(errors, "to", to);
        var pageSize = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors.Add("limit", $"'limit' must be a whole number between 1 and {MaxPageSize}.");
        }

        string? kindCode = null;
        if (kind is not null)
        {
            if (EventKinds.TryParse(kind, out var parsed))
            {
                kindCode = EventKinds.Code(parsed);
            }
            else
            {
                errors.Add("kind", $"'kind' must be one of: {EventKinds.AllCodes}.");
            }
        }

        (DateTimeOffset StartsAt, Guid Id)? after = null;
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

        // Events last at most MaxDuration, so "still running at 'from'" stays a range on starts_at.
        const string sql = """
            SELECT id, series_id, title, kind, location_name, location_address, starts_at, ends_at, status, status_reason
            FROM events
            WHERE org = @org
              AND starts_at >= @earliest AND ends_at > @from
              AND (@to IS NULL OR starts_at < @to)
              AND (@kind IS NULL OR kind = @kind)
              AND (@everything OR status IN ('published', 'postponed'))
              AND (@afterStart IS NULL OR (starts_at, id) > (@afterStart, @afterId))
            ORDER BY starts_at, id
            LIMIT @take
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("earliest", (fromInstant - MaxDuration).ToUniversalTime());
        command.Parameters.AddWithValue("from", fromInstant.ToUniversalTime());
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, (object?)toInstant?.ToUniversalTime() ?? DBNull.Value);
        command.Parameters.AddWithValue("kind", NpgsqlDbType.Text, (object?)kindCode ?? DBNull.Value);
        command.Parameters.AddWithValue("everything", caller.IsCoordinatorOf(org));
        command.Parameters.AddWithValue("afterStart", NpgsqlDbType.TimestampTz, (object?)after?.StartsAt ?? DBNull.Value);
        command.Parameters.AddWithValue("afterId", after?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue("take", pageSize + 1);

        var items = new List<EventSummary>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new EventSummary(
                    reader.GetGuid(0),
                    reader.IsDBNull(1) ? null : reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    new EventLocation(reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)),
                    organisation.Local(reader.GetFieldValue<DateTimeOffset>(6)),
                    organisation.Local(reader.GetFieldValue<DateTimeOffset>(7)),
                    reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }

        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(pageSize);
            next = Cursor.Encode(items[^1].StartsAt, items[^1].Id);
        }

        return TypedResults.Ok(new EventPage(items, next));
    }

    private static async Task<Results<Ok<EventView>, ProblemHttpResult>> GetEvent(
        Guid eventId, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await EventRows.FindAsync(connection, eventId, cancellationToken);
        if (row is null || !row.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such event.");
        }

        return TypedResults.Ok(await EventRows.ViewAsync(connection, row, cancellationToken));
    }

    private static async Task<EventAnswer> EditEvent(
        Guid eventId, EventEdit edit, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (edit.Title is not null)
        {
            errors.Text("title", edit.Title, 200);
        }

        errors.Text("description", edit.Description, MaxDescription, required: false);
        ValidateLocation(edit.Location, errors, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (Deny(row, caller, "edit") is { } denied)
            {
                return denied;
            }

            if (row!.Status == EventStatus.Cancelled)
            {
                return Problem.Conflict("event-cancelled", "The event is cancelled; it can no longer be changed.");
            }

            const string sql = """
                UPDATE events SET title = @title, description = @description, location_name = @locationName,
                    location_address = @locationAddress, updated_at = now()
                WHERE id = @id
                """;
            await using (var command = new NpgsqlCommand(sql, tx.Connection, tx))
            {
                command.Parameters.AddWithValue("id", row.Id);
                command.Parameters.AddWithValue("title", edit.Title?.Trim() ?? row.Title);
                command.Parameters.AddWithValue("description", NpgsqlDbType.Text, (object?)(edit.Description is null ? row.Description : Blank(edit.Description)) ?? DBNull.Value);
                command.Parameters.AddWithValue("locationName", edit.Location?.Name?.Trim() ?? row.LocationName);
                var address = edit.Location?.Address is { } newAddress ? Blank(newAddress) : row.LocationAddress;
                command.Parameters.AddWithValue("locationAddress", NpgsqlDbType.Text, (object?)address ?? DBNull.Value);
                await command.ExecuteNonQueryAsync(ct);
            }

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    /// <summary>
    /// Makes a draft visible and its shifts claimable. <c>?series=true</c> publishes every draft
    /// occurrence of the event's series at once (one EventPublished each). Publishing twice is harmless.
    /// </summary>
    private static async Task<EventAnswer> PublishEvent(
        Guid eventId, string? series, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var wholeSeries = false;
        if (series is not null && !bool.TryParse(series, out wholeSeries))
        {
            return Problem.Validation("series", "'series' must be true or false.");
        }

        return await transactions.RunAsync<EventAnswer>(async (tx, ct) =>
        {
            var row = await EventRows.LockAsync(tx, eventId, ct);
            if (Deny(row, caller, "publish") is { } denied)
            {
                return denied;
            }

            if (wholeSeries && row!.SeriesId is { } seriesId)
            {
                foreach (var draft in await SeriesDraftsAsync(tx, seriesId, ct))
                {
                    await PublishAsync(tx, draft, ct);
                }
            }
            else
            {
                switch (row!.Status)
                {
                    case EventStatus.Cancelled:
                        return Problem.Conflict("event-cancelled", "The event is cancelled; it cannot be published again. Create a new one.");
                    case EventStatus.Postponed:
                        return Problem.Conflict("event-postponed", "The event is postponed: reschedule it (to its old time, if it takes place as first planned) to put it on again.");
                    case EventStatus.Draft:
                        await PublishAsync(tx, row, ct);
                        break;
                }
            }

            return TypedResults.Ok(await EventRows.ViewAsync(tx, row.Id, ct));
        }, cancellationToken);
    }

    private static async Task PublishAsync(NpgsqlTransaction tx, EventRow row, CancellationToken ct)
    {
        const string sql = """
            UPDATE events SET status = 'published', status_reason = NULL, updated_at = now() WHERE id = @id;
            UPDATE shifts SET event_status = 'published', updated_at = now() WHERE event_id = @id;
            """;
        await using (var command = new NpgsqlCommand(sql, tx.Connection, tx))
        {
            command.Parameters.AddWithValue("id", row.Id);
            await command.ExecuteNonQueryAsync(ct);
        }

        await Outbox.EnqueueAsync(tx, new EventPublished(row.Id, row.Org, row.Title, row.Kind, row.StartsAt, row.EndsAt, row.LocationName), ct);
    }

    /// <summary>The series' draft occurrences, locked in time order.</summary>
    private static async Task<List<EventRow>> SeriesDraftsAsync(NpgsqlTransaction tx, Guid seriesId, CancellationToken ct)
    {
        const string sql = "SELECT id FROM events WHERE series_id = @series AND status = 'draft' ORDER BY starts_at, id FOR UPDATE";
        var ids = new List<Guid>();
        await using (var command = new NpgsqlCommand(sql, tx.Connection, tx))
        {
            command.Parameters.AddWithValue("series", seriesId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var drafts = new List<EventRow>();
        foreach (var id in ids)
        {
            drafts.Add((await EventRows.FindAsync(tx.Connection!, id, ct, tx))!);
        }

        return drafts;
    }

    /// <summary>
    /// Who may change an event: its organisation's coordinators. Others get 404 for a draft (they
    /// cannot see it) and 403 for anything they can see.
    /// </summary>
    internal static ProblemHttpResult? Deny(EventRow? row, Caller caller, string action)
    {
        if (row is null || !row.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such event.");
        }

        return caller.IsCoordinatorOf(row.Org) ? null : Problem.Forbidden($"Only coordinators of the organisation can {action} its events.");
    }

    /// <summary>Query-string instants need an offset too (an unencoded '+' arrives as a space and is read as '+').</summary>
    private static DateTimeOffset? ParseInstant(ValidationErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Instants.TryParse(text, out var value) && value >= Earliest && value < Latest)
        {
            return value;
        }

        errors.Add(field, $"'{field}' must be an ISO 8601 instant with an offset between the years {Earliest.Year} and {Latest.Year - 1}, e.g. 2026-06-13T10:00:00+02:00.");
        return null;
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
