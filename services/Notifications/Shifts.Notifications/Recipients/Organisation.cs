using Npgsql;

namespace Shifts.Notifications.Recipients;

/// <summary>An organisation as mails show it: its name, and the time zone every time is shown in.</summary>
public sealed record Organisation(string Slug, string Name, TimeZoneInfo TimeZone)
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>
    /// The organisation, or — when its registration has not reached this service — its slug as the
    /// name and Europe/Berlin (the default zone) rather than no mail at all.
    /// </summary>
    public static async Task<Organisation> FindAsync(NpgsqlTransaction tx, string slug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("SELECT name, time_zone FROM organisations WHERE slug = @slug", tx.Connection, tx);
        command.Parameters.AddWithValue("slug", slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Organisation(slug, reader.GetString(0), Zone(reader.GetString(1)))
            : new Organisation(slug, slug, Berlin);
    }

    /// <summary>IANA ids are validated where organisations are created; an unknown one falls back rather than failing every mail.</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : Berlin;
}
