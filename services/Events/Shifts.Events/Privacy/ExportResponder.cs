using System.Text.Json;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Events.Privacy;

/// <summary>
/// The events service's part of a GDPR export (art. 15): the name it keeps, memberships,
/// qualifications, claims, waitlist places, the shifts they lead, and whether the person has a
/// calendar feed (when it was made and last replaced; never its URL, which would let whoever reads
/// the export follow it).
/// Answers ClaimsExportRequested from the volunteers service (request/response, with PersonalDataExported),
/// on the queue events-export-responder (the table in EventsMessaging).
/// </summary>
public sealed class ExportResponder(NpgsqlDataSource db) : IConsumer<ClaimsExportRequested>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Consume(ConsumeContext<ClaimsExportRequested> context)
    {
        var id = context.Message.VolunteerId;
        var ct = context.CancellationToken;
        await using var connection = await db.OpenConnectionAsync(ct);

        async Task<List<T>> RowsAsync<T>(string sql) =>
            (await connection.QueryAsync<T>(new CommandDefinition(sql, new { id }, cancellationToken: ct))).ToList();

        var document = new
        {
            displayName = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT display_name FROM volunteers WHERE id = @id", new { id }, cancellationToken: ct)),
            memberships = await RowsAsync<Membership>("SELECT org, role FROM memberships WHERE volunteer_id = @id ORDER BY org"),
            qualifications = await RowsAsync<Qualification>("SELECT org, code FROM qualifications WHERE volunteer_id = @id ORDER BY org, code"),
            claims = await RowsAsync<Claim>("""
                SELECT c.id AS claim_id, c.status, c.created_at, c.cancelled_at, c.cancel_reason,
                       s.id AS shift_id, s.title AS shift, e.title AS event, s.starts_at, s.ends_at, e.location_name AS location
                FROM claims c JOIN shifts s ON s.id = c.shift_id JOIN events e ON e.id = s.event_id
                WHERE c.volunteer_id = @id ORDER BY s.starts_at
                """),
            waitlist = await RowsAsync<WaitlistPlace>("""
                SELECT w.shift_id, s.title AS shift, e.title AS event, w.joined_at FROM waitlist_entries w
                JOIN shifts s ON s.id = w.shift_id JOIN events e ON e.id = s.event_id
                WHERE w.volunteer_id = @id ORDER BY w.joined_at
                """),
            leads = await RowsAsync<Lead>("""
                SELECT l.shift_id, s.title AS shift, e.title AS event, l.named_at FROM shift_leads l
                JOIN shifts s ON s.id = l.shift_id JOIN events e ON e.id = s.event_id
                WHERE l.volunteer_id = @id ORDER BY l.named_at
                """),
            calendarFeed = (await RowsAsync<CalendarFeed>("SELECT created_at, rotated_at FROM calendar_feeds WHERE volunteer_id = @id")).SingleOrDefault(),
        };
        await context.RespondAsync(new PersonalDataExported(id, "events", JsonSerializer.Serialize(document, Json)));
    }

    // The export's parts, row by row: each property is a field of the exported JSON (camelCase, in this order).
    private sealed class Membership
    {
        public string Org { get; init; } = "";
        public string Role { get; init; } = "";
    }

    private sealed class Qualification
    {
        public string Org { get; init; } = "";
        public string Code { get; init; } = "";
    }

    private sealed class Claim
    {
        public Guid ClaimId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? CancelledAt { get; init; }
        public string? CancelReason { get; init; }
        public Guid ShiftId { get; init; }
        public string Shift { get; init; } = "";
        public string Event { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string Location { get; init; } = "";
    }

    private sealed class Lead
    {
        public Guid ShiftId { get; init; }
        public string Shift { get; init; } = "";
        public string Event { get; init; } = "";
        public DateTimeOffset NamedAt { get; init; }
    }

    private sealed class WaitlistPlace
    {
        public Guid ShiftId { get; init; }
        public string Shift { get; init; } = "";
        public string Event { get; init; } = "";
        public DateTimeOffset JoinedAt { get; init; }
    }

    private sealed class CalendarFeed
    {
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? RotatedAt { get; init; }
    }
}
