using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Notifications.Mail;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Notifications.DeliveryLog;

/// <summary>GET /api/me/notifications: the mails sent to the caller, newest first; the cursor is the last one's (created_at, id).</summary>
public static class MyNotifications
{
    public static async Task<Results<Ok<Page<NotificationView>>, ProblemHttpResult>> ListAsync(
        string? cursor, string? limit, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(db);
        var errors = new ValidationErrors();
        var take = errors.Limit(limit, defaultLimit: DeliveryLogApi.DefaultLimit);
        var after = errors.Cursor(cursor, reader => reader.Instant(out var createdAt) && reader.Guid(out var id) ? new After(createdAt, id) : (After?)null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT id AS Id, kind AS Kind, subject AS Subject, status AS Status, created_at AS CreatedAt, sent_at AS SentAt
            FROM deliveries
            WHERE recipient_id = @me AND (NOT @paged OR (created_at, id) < (@afterCreatedAt, @afterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @take
            """, new
        {
            me = caller.RequiredId,
            paged = after is not null,
            afterCreatedAt = after?.CreatedAt ?? DateTimeOffset.MinValue,
            afterId = after?.Id ?? Guid.Empty,
            take = take + 1,
        }, cancellationToken: cancellationToken))).ToList();

        return TypedResults.Ok(Page.Of(rows, take, row => row.View(),
            row => new CursorWriter().Instant(row.CreatedAt).Guid(row.Id).ToString()));
    }

    /// <summary>The cursor: the last mail of the page.</summary>
    private readonly record struct After(DateTimeOffset CreatedAt, Guid Id);

    private sealed record Row(Guid Id, string Kind, string Subject, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private Row()
            : this(default, default!, default!, default!, default, default)
        {
        }

        public NotificationView View() => new(Id, Kind, DeliveryLogApi.Channel, Subject, DeliveryStatus.Public(Status), CreatedAt, SentAt);
    }
}
