using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Notifications.Recipients;

/// <summary>An organisation as mails show it: its name, and the time zone every time is shown in.</summary>
public sealed record Organisation(string Slug, string Name, TimeZoneInfo TimeZone)
{
    /// <summary>
    /// The organisation, or — when its registration has not reached this service — its slug as the
    /// name and the default zone (TimeZones.Default) rather than no mail at all.
    /// </summary>
    public static async Task<Organisation> FindAsync(NpgsqlTransaction tx, string slug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var found = await tx.Connection!.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT name AS Name, time_zone AS TimeZone FROM organisations WHERE slug = @slug", new { slug }, tx, cancellationToken: cancellationToken));
        return found is not null
            ? new Organisation(slug, found.Name, Zone(found.TimeZone))
            : new Organisation(slug, slug, TimeZones.Default);
    }

    /// <summary>IANA ids are validated where organisations are created; an unknown one falls back rather than failing every mail.</summary>
    public static TimeZoneInfo Zone(string? id) => TimeZones.Find(id);

    private sealed record Row(string Name, string TimeZone);
}
