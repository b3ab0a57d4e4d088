using Npgsql;

namespace Shifts.Events.Organisations;

/// <summary>The events service's copy of an organisation's settings (owned by the volunteers service).</summary>
public sealed record Organisation(string Slug, string Name, TimeZoneInfo TimeZone, TimeSpan CancellationDeadline)
{
    /// <summary>An instant as the organisation's local time, with its offset (how the API answers).</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

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

        return new Organisation(reader.GetString(0), reader.GetString(1), ZoneOrBerlin(reader.GetString(2)), reader.GetFieldValue<TimeSpan>(3));
    }

    /// <summary>IANA zone ids are validated where organisations are created; an unknown one here falls back rather than failing every request.</summary>
    public static TimeZoneInfo ZoneOrBerlin(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
}
