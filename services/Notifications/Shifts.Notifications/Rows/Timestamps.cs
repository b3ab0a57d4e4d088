namespace Shifts.Notifications.Rows;

/// <summary>
/// Dapper reads a timestamptz column as a UTC DateTime (Npgsql's default for untyped reads); the
/// API, the export and the domain speak DateTimeOffset. Row records take DateTime and convert here.
/// </summary>
public static class Timestamps
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    public static DateTimeOffset? Utc(DateTime? value) => value is { } instant ? Utc(instant) : null;
}
