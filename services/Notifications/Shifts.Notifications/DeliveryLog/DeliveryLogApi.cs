using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Notifications.DeliveryLog;

/// <summary>One mail as its recipient sees it in GET /api/me/notifications.</summary>
public sealed record NotificationView(Guid Id, string Kind, string Channel, string Subject, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>One mail as a coordinator sees it in the organisation's delivery log, with why it failed.</summary>
public sealed record DeliveryView(
    Guid Id, string Kind, string Channel, Guid? RecipientId, string? RecipientName, string RecipientEmail, string Subject,
    string Status, string? Reason, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// What was sent: to the caller (GET /api/me/notifications, newest first) and, for coordinators,
/// to their organisation's members (GET /api/orgs/{org}/deliveries, failures first, then newest).
/// Both are keyset pages: their cost follows the page, not the log.
/// </summary>
public static partial class DeliveryLogApi
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private static readonly string[] Statuses = ["pending", "sent", "failed", "suppressed"];

    public static IEndpointRouteBuilder MapDeliveryLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/notifications", Mine).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}/deliveries", OfOrganisation).RequireAuthorization(ShiftsAuthentication.SignedIn);
        return app;
    }

    private static async Task<Results<Ok<Page<NotificationView>>, ProblemHttpResult>> Mine(
        string? cursor, int? limit, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().Range("limit", limit, 1, MaxLimit, required: false);
        DeliveryCursor after = default;
        if (cursor is not null && !DeliveryCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor this endpoint returned.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var take = limit ?? DefaultLimit;
        await using var command = db.CreateCommand("""
            SELECT id, kind, subject, status, created_at, sent_at
            FROM deliveries
            WHERE recipient_id = @me AND (NOT @paged OR (created_at, id) < (@afterCreatedAt, @afterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @take
            """);
        command.Parameters.AddWithValue("me", caller.RequiredId);
        command.Parameters.AddWithValue("paged", cursor is not null);
        command.Parameters.AddWithValue("afterCreatedAt", after.CreatedAt);
        command.Parameters.AddWithValue("afterId", after.Id);
        command.Parameters.AddWithValue("take", take + 1);
        var items = new List<NotificationView>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new NotificationView(reader.GetGuid(0), reader.GetString(1), "email", reader.GetString(2), PublicStatus(reader.GetString(3)),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        var next = items.Count > take ? new DeliveryCursor(false, items[take - 1].CreatedAt, items[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<NotificationView>(items.Take(take).ToList(), next));
    }

    private static async Task<Results<Ok<Page<DeliveryView>>, ProblemHttpResult>> OfOrganisation(
        string org, string? status, string? cursor, int? limit, Caller caller, Transactions transactions, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinatorOf(org))
        {
            return Problem.Forbidden($"Only coordinators of '{org}' see its deliveries.");
        }

        var errors = new ValidationErrors().Range("limit", limit, 1, MaxLimit, required: false);
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add("status", $"'status' must be one of {string.Join(", ", Statuses)}.");
        }

        DeliveryCursor after = default;
        if (cursor is not null && !DeliveryCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor this endpoint returned.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Failures first ((status <> 'failed') is false for them), then newest; the index
        // deliveries_org has exactly this order. A keyset over two directions: past the cursor is
        // "a later group, or the same group and older".
        var take = limit ?? DefaultLimit;
        var items = await transactions.RunAsync(async (tx, ct) =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT d.id, d.kind, d.recipient_id, r.display_name, d.recipient_email, d.subject, d.status, d.last_error, d.attempts, d.created_at, d.sent_at
                FROM deliveries d
                LEFT JOIN recipients r ON r.id = d.recipient_id
                WHERE d.org = @org
                  AND (@status IS NULL OR d.status = @status OR (@status = 'pending' AND d.status = 'sending'))
                  AND (NOT @paged
                       OR (d.status <> 'failed') > (NOT @afterFailed)
                       OR ((d.status <> 'failed') = (NOT @afterFailed) AND (d.created_at, d.id) < (@afterCreatedAt, @afterId)))
                ORDER BY (d.status <> 'failed'), d.created_at DESC, d.id DESC
                LIMIT @take
                """, tx.Connection, tx);
            command.Parameters.AddWithValue("org", org);
            command.Parameters.Add(new NpgsqlParameter<string?>("status", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = status });
            command.Parameters.AddWithValue("paged", cursor is not null);
            command.Parameters.AddWithValue("afterFailed", after.Failed);
            command.Parameters.AddWithValue("afterCreatedAt", after.CreatedAt);
            command.Parameters.AddWithValue("afterId", after.Id);
            command.Parameters.AddWithValue("take", take + 1);
            var rows = new List<DeliveryView>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new DeliveryView(reader.GetGuid(0), reader.GetString(1), "email",
                        reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                        reader.GetString(5), PublicStatus(reader.GetString(6)), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt32(8),
                        reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
                }
            }

            // Contact details of members: who looked, when, at how many, is kept in the same
            // transaction as the read (GDPR), like the volunteers service's member reads.
            await using (var audit = new NpgsqlCommand(
                "INSERT INTO delivery_log_reads (reader_id, org, entry_count, read_at) VALUES (@reader, @org, @count, @now)", tx.Connection, tx))
            {
                audit.Parameters.AddWithValue("reader", caller.RequiredId);
                audit.Parameters.AddWithValue("org", org);
                audit.Parameters.AddWithValue("count", Math.Min(rows.Count, take));
                audit.Parameters.AddWithValue("now", time.GetUtcNow());
                await audit.ExecuteNonQueryAsync(ct);
            }

            return rows;
        }, cancellationToken);

        LogContactAccess(loggers.CreateLogger(typeof(DeliveryLogApi)), caller.RequiredId, org, Math.Min(items.Count, take));
        var last = items.Count > take ? items[take - 1] : null;
        var next = last is null ? null : new DeliveryCursor(last.Status == "failed", last.CreatedAt, last.Id).Encode();
        return TypedResults.Ok(new Page<DeliveryView>(items.Take(take).ToList(), next));
    }

    /// <summary>'sending' is a moment inside the dispatcher; to readers it is still pending.</summary>
    private static string PublicStatus(string status) => status == "sending" ? "pending" : status;

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator {VolunteerId} read the delivery log of {Org} ({Count} entries with contact details)")]
    private static partial void LogContactAccess(ILogger logger, Guid volunteerId, string org, int count);
}
