using System.Text.Json;
using System.Xml;
using MassTransit;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Notifications.Privacy;

/// <summary>
/// This service's part of a person's GDPR export (GET /api/me/export, assembled by the volunteers
/// service over request/response): the contact copy and preferences, memberships, the claims and
/// reminders it schedules, every mail it sent or means to send (bodies are never kept once sent),
/// and the person's own reads of organisations' delivery logs.
/// </summary>
public sealed class DeliveriesExportResponder(NpgsqlDataSource db) : IConsumer<DeliveriesExportRequested>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Consume(ConsumeContext<DeliveriesExportRequested> context)
    {
        var id = context.Message.VolunteerId;
        var ct = context.CancellationToken;
        await using var connection = await db.OpenConnectionAsync(ct);
        var document = new
        {
            recipient = (await RowsAsync(connection, """
                SELECT email, display_name, locale, email_reminders, reminder_lead_times, quiet_from, quiet_to FROM recipients WHERE id = @id
                """, id, r => new
            {
                email = r.GetString(0),
                displayName = r.GetString(1),
                locale = r.GetString(2),
                emailReminders = r.GetBoolean(3),
                reminderLeadTimes = r.IsDBNull(4) ? null : r.GetFieldValue<TimeSpan[]>(4).Select(XmlConvert.ToString).ToArray(),
                quietHours = r.IsDBNull(5) || r.IsDBNull(6) ? null : new { from = r.GetFieldValue<TimeOnly>(5).ToString("HH:mm", null), to = r.GetFieldValue<TimeOnly>(6).ToString("HH:mm", null) },
            }, ct)).SingleOrDefault(),
            memberships = await RowsAsync(connection, "SELECT org, role FROM memberships WHERE volunteer_id = @id ORDER BY org", id,
                r => new { org = r.GetString(0), role = r.GetString(1) }, ct),
            claims = await RowsAsync(connection, """
                SELECT claim_id, status, org, event_title, shift_title, starts_at, ends_at FROM claims WHERE volunteer_id = @id ORDER BY starts_at
                """, id, r => new
            {
                claimId = r.GetGuid(0),
                status = r.GetString(1),
                org = r.GetString(2),
                @event = r.GetString(3),
                shift = r.GetString(4),
                startsAt = r.GetFieldValue<DateTimeOffset>(5),
                endsAt = r.GetFieldValue<DateTimeOffset>(6),
            }, ct),
            reminders = await RowsAsync(connection, """
                SELECT r.claim_id, r.lead, r.due_at, r.status FROM reminders r JOIN claims c ON c.claim_id = r.claim_id
                WHERE c.volunteer_id = @id ORDER BY r.due_at
                """, id, r => new { claimId = r.GetGuid(0), lead = XmlConvert.ToString(r.GetFieldValue<TimeSpan>(1)), dueAt = r.GetFieldValue<DateTimeOffset>(2), status = r.GetString(3) }, ct),
            deliveries = await RowsAsync(connection, """
                SELECT id, kind, subject, recipient_email, status, last_error, created_at, sent_at FROM deliveries
                WHERE recipient_id = @id ORDER BY created_at, id
                """, id, r => new
            {
                id = r.GetGuid(0),
                kind = r.GetString(1),
                channel = "email",
                subject = r.GetString(2),
                to = r.GetString(3),
                status = r.GetString(4) == "sending" ? "pending" : r.GetString(4),
                reason = r.IsDBNull(5) ? null : r.GetString(5),
                createdAt = r.GetFieldValue<DateTimeOffset>(6),
                sentAt = r.IsDBNull(7) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(7),
            }, ct),
            // The person's own reads of organisations' delivery logs (like contactDetailReads in the volunteers part).
            deliveryLogReads = await RowsAsync(connection, """
                SELECT org, entry_count, read_at FROM delivery_log_reads WHERE reader_id = @id ORDER BY read_at, id
                """, id, r => new { org = r.GetString(0), entries = r.GetInt32(1), at = r.GetFieldValue<DateTimeOffset>(2) }, ct),
        };
        await context.RespondAsync(new PersonalDataExported(id, "notifications", JsonSerializer.Serialize(document, Json)));
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
