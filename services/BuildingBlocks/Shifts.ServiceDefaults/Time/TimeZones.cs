namespace Shifts.ServiceDefaults.Time;

/// <summary>
/// Organisation time zones. Every organisation names its IANA zone; where a zone is not (yet)
/// known to a service — a replica of the organisation that has not arrived, a zone the server's
/// tz database lacks — times are shown in <see cref="DefaultId"/>, the zone of our first users
/// and the default a new organisation gets.
/// </summary>
public static class TimeZones
{
    public const string DefaultId = "Europe/Berlin";

    public static TimeZoneInfo Default { get; } = TimeZoneInfo.FindSystemTimeZoneById(DefaultId);

    /// <summary>The zone with this IANA id, or <see cref="Default"/> when there is none by that id.</summary>
    public static TimeZoneInfo Find(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : Default;
}
