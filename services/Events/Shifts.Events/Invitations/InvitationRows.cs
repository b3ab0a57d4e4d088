using Dapper;
using Npgsql;

namespace Shifts.Events.Invitations;

/// <summary>Reading invitations: the coordinator's view, with a lapsed "sent" reported as expired.</summary>
internal static class InvitationRows
{
    public const string ViewColumns = """
        i.id, i.volunteer_id, coalesce(nullif(v.display_name, ''), '—') AS name, i.state, i.message, i.expires_at, i.created_at, i.invited_by, i.answered_at
        """;

    public static async Task<IReadOnlyList<InvitationView>> ForShiftAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid shiftId, DateTimeOffset now, CancellationToken ct, Guid[]? only = null)
    {
        var sql = $"""
            SELECT {ViewColumns}
            FROM shift_invitations i LEFT JOIN volunteers v ON v.id = i.volunteer_id
            WHERE i.shift_id = @shiftId {(only is null ? "" : "AND i.id = ANY(@only)")}
            ORDER BY i.created_at DESC, i.id
            """;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { shiftId, only }, tx, cancellationToken: ct));
        return rows.Select(r => r.View(now)).ToList();
    }

    public sealed class Row
    {
        public Guid Id { get; init; }
        public Guid VolunteerId { get; init; }
        public string Name { get; init; } = "";
        public string State { get; init; } = "";
        public string? Message { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public Guid InvitedBy { get; init; }
        public DateTimeOffset? AnsweredAt { get; init; }

        public InvitationView View(DateTimeOffset now) =>
            new(Id, VolunteerId, Name, State == "sent" && ExpiresAt <= now ? "expired" : State, Message, ExpiresAt, CreatedAt, InvitedBy, AnsweredAt);
    }
}
