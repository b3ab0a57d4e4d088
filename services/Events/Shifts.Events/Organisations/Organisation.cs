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
        await using var command = new NpgsqlCommand(
            "SELECT slug, name, time_zone, cancellation_deadline FROM organisations WHERE slug = @slug", connection, transaction);
        command.Parameters.AddWithValue("slug", slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Organisation(reader.GetString(0), reader.GetString(1), TimeZones.Find(reader.GetString(2)), reader.GetFieldValue<TimeSpan>(3));
    }
}
