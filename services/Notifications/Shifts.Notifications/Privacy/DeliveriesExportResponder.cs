using System.Text.Json;
using System.Xml;
using Dapper;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Notifications.Mail;

namespace Shifts.Notifications.Privacy;

/// <summary>
/// Handles <see cref="DeliveriesExportRequested"/>, a request from the volunteers service (request/response
/// on the queue notifications-deliveries-export-responder): this service's part of a person's GDPR
/// export (GET /api/me/export): the contact copy and preferences, memberships, the claims and
/// reminders it schedules, every mail it sent or means to send (bodies are never kept once sent),
/// and the person's own reads of organisations' delivery logs. Reads only, so no inbox.
/// </summary>
public sealed class DeliveriesExportResponder(NpgsqlDataSource db) : IConsumer<DeliveriesExportRequested>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Consume(ConsumeContext<DeliveriesExportRequested> context)
    {
        var id = context.Message.VolunteerId;
        var ct = context.CancellationToken;
        await using var connection = await db.OpenConnectionAsync(ct);
        var recipient = await RowsAsync<RecipientRow>(connection, """
            SELECT email AS Email, display_name AS DisplayName, locale AS Locale, email_reminders AS EmailReminders,
                   reminder_lead_times AS ReminderLeadTimes, quiet_from AS QuietFrom, quiet_to AS QuietTo
            FROM recipients WHERE id = @id
            """, id, ct);
        var memberships = await RowsAsync<MembershipRow>(connection, "SELECT org AS Org, role AS Role FROM memberships WHERE volunteer_id = @id ORDER BY org", id, ct);
        var claims = await RowsAsync<ClaimRow>(connection, """
            SELECT claim_id AS ClaimId, status AS Status, org AS Org, event_title AS EventTitle, shift_title AS ShiftTitle, starts_at AS StartsAt, ends_at AS EndsAt
            FROM claims WHERE volunteer_id = @id ORDER BY starts_at
            """, id, ct);
        var reminders = await RowsAsync<ReminderRow>(connection, """
            SELECT r.claim_id AS ClaimId, r.lead AS Lead, r.due_at AS DueAt, r.status AS Status FROM reminders r JOIN claims c ON c.claim_id = r.claim_id
            WHERE c.volunteer_id = @id ORDER BY r.due_at
            """, id, ct);
        var deliveries = await RowsAsync<DeliveryRow>(connection, """
            SELECT id AS Id, kind AS Kind, subject AS Subject, recipient_email AS RecipientEmail, status AS Status, last_error AS LastError,
                   created_at AS CreatedAt, sent_at AS SentAt
            FROM deliveries WHERE recipient_id = @id ORDER BY created_at, id
            """, id, ct);
        // The person's own reads of organisations' delivery logs (like contactDetailReads in the volunteers part).
        var reads = await RowsAsync<ReadRow>(connection, """
            SELECT org AS Org, entry_count AS EntryCount, read_at AS ReadAt FROM delivery_log_reads WHERE reader_id = @id ORDER BY read_at, id
            """, id, ct);

        var document = new
        {
            recipient = recipient.Select(r => new
            {
                email = r.Email,
                displayName = r.DisplayName,
                locale = r.Locale,
                emailReminders = r.EmailReminders,
                reminderLeadTimes = r.ReminderLeadTimes?.Select(XmlConvert.ToString).ToArray(),
                quietHours = r.QuietFrom is { } from && r.QuietTo is { } to ? new { from = Clock(from), to = Clock(to) } : null,
            }).SingleOrDefault(),
            memberships = memberships.Select(m => new { org = m.Org, role = m.Role }).ToList(),
            claims = claims.Select(c => new
            {
                claimId = c.ClaimId,
                status = c.Status,
                org = c.Org,
                @event = c.EventTitle,
                shift = c.ShiftTitle,
                startsAt = c.StartsAt,
                endsAt = c.EndsAt,
            }).ToList(),
            reminders = reminders.Select(r => new { claimId = r.ClaimId, lead = XmlConvert.ToString(r.Lead), dueAt = r.DueAt, status = r.Status }).ToList(),
            deliveries = deliveries.Select(d => new
            {
                id = d.Id,
                kind = d.Kind,
                channel = "email",
                subject = d.Subject,
                to = d.RecipientEmail,
                status = DeliveryStatus.Public(d.Status),
                reason = d.LastError,
                createdAt = d.CreatedAt,
                sentAt = d.SentAt,
            }).ToList(),
            deliveryLogReads = reads.Select(r => new { org = r.Org, entries = r.EntryCount, at = r.ReadAt }).ToList(),
        };
        await context.RespondAsync(new PersonalDataExported(id, "notifications", JsonSerializer.Serialize(document, Json)));
    }

    private static async Task<List<T>> RowsAsync<T>(NpgsqlConnection connection, string sql, Guid id, CancellationToken ct) =>
        (await connection.QueryAsync<T>(new CommandDefinition(sql, new { id }, cancellationToken: ct))).ToList();

    private static string Clock(TimeOnly clock) => clock.ToString("HH:mm", null);

    /// <summary>Properties, not a constructor: Dapper matches a constructor by the reader's field types, and Npgsql types interval[] as Array.</summary>
    private sealed class RecipientRow
    {
        public required string Email { get; init; }
        public required string DisplayName { get; init; }
        public required string Locale { get; init; }
        public bool EmailReminders { get; init; }
        public TimeSpan[]? ReminderLeadTimes { get; init; }
        public TimeOnly? QuietFrom { get; init; }
        public TimeOnly? QuietTo { get; init; }
    }

    private sealed record MembershipRow(string Org, string Role);

    private sealed record ClaimRow(Guid ClaimId, string Status, string Org, string EventTitle, string ShiftTitle, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ClaimRow()
            : this(default, default!, default!, default!, default!, default, default)
        {
        }
    }

    private sealed record ReminderRow(Guid ClaimId, TimeSpan Lead, DateTimeOffset DueAt, string Status)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ReminderRow()
            : this(default, default, default, default!)
        {
        }
    }

    private sealed record DeliveryRow(Guid Id, string Kind, string Subject, string RecipientEmail, string Status, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private DeliveryRow()
            : this(default, default!, default!, default!, default!, default, default, default)
        {
        }
    }

    private sealed record ReadRow(string Org, int EntryCount, DateTimeOffset ReadAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ReadRow()
            : this(default!, default, default)
        {
        }
    }
}
