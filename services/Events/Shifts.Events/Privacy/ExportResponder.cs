using System.Text.Json;
using MassTransit;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Events.Privacy;

/// <summary>
/// The events service's part of a GDPR export (art. 15): the name it keeps, memberships,
/// qualifications, claims, waitlist places, and whether the person has a calendar feed (when it
/// was made and last replaced; never its URL, which would let whoever reads the export follow it).
/// Answers ClaimsExportRequested from the volunteers service (request/response, with PersonalDataExported),
/// on the queue events-export-responder (the table in EventsMessaging).
/// </summary>
public sealed class ExportResponder(NpgsqlDataSource db) : IConsumer<ClaimsExportRequested>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Consume(ConsumeContext<ClaimsExportRequested> context)
    {
        var id = context.Message.VolunteerId;
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        var document = new
        {
            displayName = await ScalarAsync(connection, "SELECT display_name FROM volunteers WHERE id = @id", id, context.CancellationToken),
            memberships = await RowsAsync(connection, "SELECT org, role FROM memberships WHERE volunteer_id = @id ORDER BY org", id, r => new { org = r.GetString(0), role = r.GetString(1) }, context.CancellationToken),
            qualifications = await RowsAsync(connection, "SELECT org, code FROM qualifications WHERE volunteer_id = @id ORDER BY org, code", id, r => new { org = r.GetString(0), code = r.GetString(1) }, context.CancellationToken),
            claims = await RowsAsync(connection, """
                SELECT c.id, c.status, c.created_at, c.cancelled_at, c.cancel_reason, s.id, s.title, e.title, s.starts_at, s.ends_at, e.location_name
                FROM claims c JOIN shifts s ON s.id = c.shift_id JOIN events e ON e.id = s.event_id
                WHERE c.volunteer_id = @id ORDER BY s.starts_at
                """, id, r => new
            {
                claimId = r.GetGuid(0),
                status = r.GetString(1),
                createdAt = r.GetFieldValue<DateTimeOffset>(2),
                cancelledAt = r.IsDBNull(3) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(3),
                cancelReason = r.IsDBNull(4) ? null : r.GetString(4),
                shiftId = r.GetGuid(5),
                shift = r.GetString(6),
                @event = r.GetString(7),
                startsAt = r.GetFieldValue<DateTimeOffset>(8),
                endsAt = r.GetFieldValue<DateTimeOffset>(9),
                location = r.GetString(10),
            }, context.CancellationToken),
            waitlist = await RowsAsync(connection, """
                SELECT w.shift_id, s.title, e.title, w.joined_at FROM waitlist_entries w
                JOIN shifts s ON s.id = w.shift_id JOIN events e ON e.id = s.event_id
                WHERE w.volunteer_id = @id ORDER BY w.joined_at
                """, id, r => new { shiftId = r.GetGuid(0), shift = r.GetString(1), @event = r.GetString(2), joinedAt = r.GetFieldValue<DateTimeOffset>(3) }, context.CancellationToken),
            calendarFeed = (await RowsAsync(connection, "SELECT created_at, rotated_at FROM calendar_feeds WHERE volunteer_id = @id", id, r => new
            {
                createdAt = r.GetFieldValue<DateTimeOffset>(0),
                rotatedAt = r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1),
            }, context.CancellationToken)).SingleOrDefault(),
        };
        await context.RespondAsync(new PersonalDataExported(id, "events", JsonSerializer.Serialize(document, Json)));
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static async Task<List<T>> RowsAsync<T>(NpgsqlConnection connection, string sql, Guid id, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
