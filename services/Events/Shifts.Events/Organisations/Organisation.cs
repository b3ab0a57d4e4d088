using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Events.Organisations;

/// <summary>The events service's copy of an organisation's settings (owned by the volunteers service).</summary>
public sealed record Organisation(string Slug, string Name, TimeZoneInfo TimeZone, TimeSpan CancellationDeadline)
{
    /// <summary>An instant as the organisation's local time, with its offset (how the API answers).</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>The organisation's settings; a zone id this server's tz database lacks reads as <see cref="TimeZones.Default"/> rather than failing every request.</summary>
    public static async Task<Organisation?> FindAsync(NpgsqlConnection connection, string slug, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(new CommandDefinition(
            "SELECT slug, name, time_zone, cancellation_deadline FROM organisations WHERE slug = @slug", new { slug }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new Organisation(row.Slug, row.Name, TimeZones.Find(row.TimeZone), row.CancellationDeadline);
    }

    private sealed class OrganisationRow
    {
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public TimeSpan CancellationDeadline { get; init; }
    }
}
