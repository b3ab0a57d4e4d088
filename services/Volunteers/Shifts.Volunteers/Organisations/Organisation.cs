using Dapper;
using Npgsql;

namespace Shifts.Volunteers.Organisations;

/// <summary>An organisation as stored. The slug names it in URLs, tokens ("org:role") and every replica, so it never changes.</summary>
public sealed record Organisation(Guid Id, string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline, TimeSpan[] GapAlertLeadTimes)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private Organisation()
        : this(default!, default!, default!, default!, default!, default!)
    {
    }

    public static readonly TimeSpan DefaultCancellationDeadline = TimeSpan.FromHours(24);
    public static readonly TimeSpan[] DefaultGapAlertLeadTimes = [TimeSpan.FromHours(48), TimeSpan.FromHours(24)];

    private const string Columns = "id, slug, name, time_zone, cancellation_deadline, gap_alert_lead_times";

    public static async Task<Organisation?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string slug, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!OrganisationRules.IsSlug(slug))
        {
            return null; // not one of ours, and not worth a query
        }

        return await connection.QuerySingleOrDefaultAsync<Organisation>(new CommandDefinition(
            $"SELECT {Columns} FROM organisations WHERE slug = @slug{(forUpdate ? " FOR UPDATE" : "")}", new { slug }, tx, cancellationToken: cancellationToken));
    }

    public static Task<Organisation?> FindAsync(NpgsqlTransaction tx, string slug, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return FindAsync(tx.Connection!, tx, slug, cancellationToken, forUpdate);
    }
}
