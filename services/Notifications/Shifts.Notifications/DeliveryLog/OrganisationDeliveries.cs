using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.Notifications.Mail;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Notifications.DeliveryLog;

/// <summary>
/// GET /api/orgs/{org}/deliveries: every mail to the organisation's members, for its coordinators,
/// failures first, then newest; <c>?status=</c> filters (pending includes the moment of sending).
/// Each read is recorded (who, when, how many entries with contact details), in the read's transaction.
/// </summary>
public static partial class OrganisationDeliveries
{
    /// <summary>The values <c>?status=</c> takes (the public ones: 'sending' reads as pending); the OpenAPI document lists them too.</summary>
    public static readonly IReadOnlyList<string> Statuses = [DeliveryStatus.Pending, DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.Suppressed];

    /// <summary>
    /// Failures first ((status &lt;&gt; 'failed') is false for them), then newest; the index
    /// deliveries_org has exactly this order. A keyset over two directions: past the cursor is
    /// "a later group, or the same group and older".
    /// </summary>
    private const string PageSql = $"""
        SELECT d.id AS Id, d.kind AS Kind, d.recipient_id AS RecipientId, r.display_name AS RecipientName, d.recipient_email AS RecipientEmail,
               d.subject AS Subject, d.status AS Status, d.last_error AS Reason, d.attempts AS Attempts, d.created_at AS CreatedAt, d.sent_at AS SentAt
        FROM deliveries d
        LEFT JOIN recipients r ON r.id = d.recipient_id
        WHERE d.org = @org
          AND (@status::text IS NULL OR d.status = @status OR (@status = '{DeliveryStatus.Pending}' AND d.status = '{DeliveryStatus.Sending}'))
          AND (NOT @paged
               OR (d.status <> '{DeliveryStatus.Failed}') > (NOT @afterFailed)
               OR ((d.status <> '{DeliveryStatus.Failed}') = (NOT @afterFailed) AND (d.created_at, d.id) < (@afterCreatedAt, @afterId)))
        ORDER BY (d.status <> '{DeliveryStatus.Failed}'), d.created_at DESC, d.id DESC
        LIMIT @take
        """;

    public static async Task<Results<Ok<Page<DeliveryView>>, ProblemHttpResult>> ListAsync(
        string org, string? status, string? cursor, string? limit, Caller caller, Transactions transactions, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!caller.IsCoordinatorOf(org))
        {
            return Problem.Forbidden($"Only coordinators of '{org}' see its deliveries.");
        }

        var errors = new ValidationErrors();
        var take = errors.Limit(limit, defaultLimit: DeliveryLogApi.DefaultLimit);
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add("status", $"'status' must be one of {string.Join(", ", Statuses)}.");
        }

        var after = errors.Cursor(cursor, reader =>
            reader.Boolean(out var failed) && reader.Instant(out var createdAt) && reader.Guid(out var id) ? new After(failed, createdAt, id) : (After?)null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var rows = await transactions.RunAsync(async (tx, ct) =>
        {
            var page = (await tx.Connection!.QueryAsync<Row>(new CommandDefinition(PageSql, new
            {
                org,
                status,
                paged = after is not null,
                afterFailed = after?.Failed ?? false,
                afterCreatedAt = after?.CreatedAt ?? DateTimeOffset.MinValue,
                afterId = after?.Id ?? Guid.Empty,
                take = take + 1,
            }, tx, cancellationToken: ct))).ToList();

            // Contact details of members: who looked, when, at how many, is kept in the same
            // transaction as the read (GDPR), like the volunteers service's member reads.
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO delivery_log_reads (reader_id, org, entry_count, read_at) VALUES (@reader, @org, @count, @now)",
                new { reader = caller.RequiredId, org, count = Math.Min(page.Count, take), now = time.GetUtcNow() }, tx, cancellationToken: ct));
            return page;
        }, cancellationToken);

        LogContactAccess(loggers.CreateLogger(typeof(OrganisationDeliveries)), caller.RequiredId, org, Math.Min(rows.Count, take));
        return TypedResults.Ok(Page.Of(rows, take, row => row.View(),
            row => new CursorWriter().Boolean(row.Status == DeliveryStatus.Failed).Instant(row.CreatedAt).Guid(row.Id).ToString()));
    }

    /// <summary>The cursor: the last mail of the page, and whether it is among the failures (listed first).</summary>
    private readonly record struct After(bool Failed, DateTimeOffset CreatedAt, Guid Id);

    private sealed record Row(
        Guid Id, string Kind, Guid? RecipientId, string? RecipientName, string RecipientEmail, string Subject,
        string Status, string? Reason, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private Row()
            : this(default, default!, default, default, default!, default!, default!, default, default, default, default)
        {
        }

        public DeliveryView View() => new(Id, Kind, DeliveryLogApi.Channel, RecipientId, RecipientName, RecipientEmail, Subject,
            DeliveryStatus.Public(Status), Reason, Attempts, CreatedAt, SentAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator {VolunteerId} read the delivery log of {Org} ({Count} entries with contact details)")]
    private static partial void LogContactAccess(ILogger logger, Guid volunteerId, string org, int count);
}
