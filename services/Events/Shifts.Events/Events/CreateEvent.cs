using Shifts.Events.Statuses;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Organisations;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>POST /api/orgs/{org}/events: an event alone or as a weekly series, with its shift pattern, as drafts.</summary>
public static class CreateEvent
{
    private static readonly JsonSerializerOptions RuleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static async Task<Results<Created<EventView>, ProblemHttpResult>> Handle(
        string org, NewEvent request, Caller caller, NpgsqlDataSource db, Transactions transactions, CancellationToken cancellationToken)
    {
        Organisation? organisation;
        IReadOnlySet<string> unknownCodes;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            organisation = await Organisation.FindAsync(connection, org, cancellationToken);
            unknownCodes = await QualificationCodes.UnknownAsync(connection, org, RequiredCodes(request), cancellationToken);
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
        for (var i = 0; i < (request.Shifts?.Count ?? 0); i++)
        {
            if (request.Shifts![i]?.RequiredQualification?.Trim() is { Length: > 0 } code && unknownCodes.Contains(code))
            {
                errors.Add($"shifts[{i}].requiredQualification", ShiftRules.UnknownQualification(code));
            }
        }
        IReadOnlyList<int> days = [0];
        if (request.Recurrence is { } rule && times is { } valid)
        {
            var firstDate = DateOnly.FromDateTime(organisation.Local(valid.StartsAt).DateTime);
            days = Recurrence.OccurrenceDays(rule, firstDate, errors) ?? [];
            if (days.Count * (request.Shifts?.Count ?? 0) > EventRules.MaxShiftsPerSeries)
            {
                errors.Add("recurrence", $"A series may hold at most {EventRules.MaxShiftsPerSeries} shifts in all; this one would have {days.Count * request.Shifts!.Count}.");
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

    private static List<string> RequiredCodes(NewEvent request) =>
        (request.Shifts ?? []).Select(shift => shift?.RequiredQualification?.Trim()).OfType<string>().Where(code => code.Length > 0)
            .Distinct(StringComparer.Ordinal).Take(EventRules.MaxShiftsPerEvent).ToList();

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
        errors.Text("description", request.Description, EventRules.MaxDescription, required: false);
        EventRules.ValidateLocation(request.Location, errors, required: true);
        var times = EventRules.ValidateTimes(request.StartsAt, request.EndsAt, errors);

        // Shifts are checked even when the event's times are not, so one answer names every problem it can.
        if (request.Shifts is { Count: > EventRules.MaxShiftsPerEvent })
        {
            errors.Add("shifts", $"An event may be created with at most {EventRules.MaxShiftsPerEvent} shifts.");
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
            if (startsAt is { } eventStart && endsAt is { } eventEnd)
            {
                shift.ValidateWithin(eventStart, eventEnd, errors, prefix);
            }
        }

        return times;
    }

    private static Task InsertSeriesAsync(NpgsqlTransaction tx, Guid id, string org, RecurrenceRule rule, string timeZone, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new { frequency = "weekly", weekdays = rule.Weekdays!.Distinct().Order(), rule.Until, rule.Count, timeZone }, RuleJson);
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO series (id, org, rule) VALUES (@id, @org, @rule::jsonb)", new { id, org, rule = json }, tx, cancellationToken: ct));
    }

    private static async Task<EventFacts> InsertEventAsync(
        NpgsqlTransaction tx, string org, Guid? seriesId, NewEvent request, DateTimeOffset startsAt, DateTimeOffset endsAt, Guid createdBy, CancellationToken ct)
    {
        const string sql = $"""
            INSERT INTO events (id, org, series_id, title, kind, description, location_name, location_address, starts_at, ends_at, status, created_by)
            VALUES (@id, @org, @seriesId, @title, @kind, @description, @locationName, @locationAddress, @startsAt, @endsAt, '{EventStatus.Draft}', @createdBy)
            """;
        var facts = new EventFacts(Guid.CreateVersion7(), org, request.Title!.Trim(), EventKinds.Code(request.Kind!.Value),
            EventStatus.Draft, request.Location!.Name!.Trim(), EventRules.Blank(request.Location.Address));
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new
        {
            id = facts.EventId,
            org,
            seriesId,
            title = facts.Title,
            kind = facts.Kind,
            description = EventRules.Blank(request.Description),
            locationName = facts.LocationName,
            locationAddress = facts.LocationAddress,
            startsAt,
            endsAt,
            createdBy,
        }, tx, cancellationToken: ct));
        return facts;
    }
}
