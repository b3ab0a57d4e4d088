using Shifts.Events.Shifts;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Events;

/// <summary>The limits of an event and the checks that creating, editing and moving one share.</summary>
public static class EventRules
{
    public const int MaxShiftsPerEvent = 50;
    public const int MaxShiftsPerSeries = 2000;
    public const int MaxDescription = 4000;

    /// <summary>The longest event (a festival week plus set-up and tear-down).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);

    /// <summary>How far before its event a shift may start and after it end (set-up, tear-down).</summary>
    public static readonly TimeSpan ShiftMargin = ShiftSpec.EventMargin;

    /// <summary>Instants outside these are typing errors, and would overflow date arithmetic near the ends of the calendar.</summary>
    internal static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static void ValidateLocation(EventLocation? location, ValidationErrors errors, bool required)
    {
        if (location is null)
        {
            if (required)
            {
                errors.Add("location", "'location' is required, with at least a 'name'.");
            }

            return;
        }

        if (required || location.Name is not null)
        {
            errors.Text("location.name", location.Name, 200);
        }

        errors.Text("location.address", location.Address, 300, required: false);
    }

    /// <summary>An event's start and end: both given, in a sane range, in order, and at most <see cref="MaxDuration"/> apart.</summary>
    internal static (DateTimeOffset StartsAt, DateTimeOffset EndsAt)? ValidateTimes(DateTimeOffset? startsAt, DateTimeOffset? endsAt, ValidationErrors errors)
    {
        errors.Required("startsAt", startsAt);
        errors.Required("endsAt", endsAt);
        var valid = startsAt is not null && endsAt is not null;
        foreach (var (field, value) in new[] { ("startsAt", startsAt), ("endsAt", endsAt) })
        {
            if (value is { } instant && (instant < Earliest || instant >= Latest))
            {
                errors.Add(field, $"'{field}' must lie between the years {Earliest.Year} and {Latest.Year - 1}.");
                valid = false;
            }
        }

        if (!valid)
        {
            return null;
        }

        if (endsAt <= startsAt)
        {
            errors.Add("endsAt", "'endsAt' must be after 'startsAt'.");
            return null;
        }

        if (endsAt - startsAt > MaxDuration)
        {
            errors.Add("endsAt", $"An event may last at most {MaxDuration.TotalDays:0} days.");
            return null;
        }

        return (startsAt!.Value, endsAt!.Value);
    }

    /// <summary>
    /// Who may change an event: its organisation's coordinators. Others get 404 for a draft (they
    /// cannot see it) and 403 for anything they can see.
    /// </summary>
    internal static ProblemHttpResult? Deny(EventRow? row, Caller caller, string action)
    {
        if (row is null || !row.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such event.");
        }

        return caller.IsCoordinatorOf(row.Org) ? null : Problem.Forbidden($"Only coordinators of the organisation can {action} its events.");
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
