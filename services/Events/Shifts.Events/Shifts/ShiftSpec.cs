using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Shifts;

/// <summary>A shift as a coordinator describes it (POST /api/events/{id}/shifts, or a series' pattern).</summary>
public sealed record ShiftSpec(
    string? Title,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? Capacity,
    int? Minimum,
    string? RequiredQualification,
    bool? NewcomerFriendly)
{
    public const int MaxCapacity = 10_000;

    /// <summary>How far before its event a shift may start and after it end (set-up, tear-down).</summary>
    public static readonly TimeSpan EventMargin = TimeSpan.FromHours(12);

    /// <summary>Field errors, named with <paramref name="prefix"/> (e.g. "shifts[2].").</summary>
    public void Validate(ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text(prefix + "title", Title, 200);
        errors.Required(prefix + "startsAt", StartsAt);
        errors.Required(prefix + "endsAt", EndsAt);
        if (StartsAt is { } start && EndsAt is { } end)
        {
            if (end <= start)
            {
                errors.Add(prefix + "endsAt", "'endsAt' must be after 'startsAt'.");
            }
            else if (end - start > TimeSpan.FromHours(48))
            {
                errors.Add(prefix + "endsAt", "A shift may last at most 48 hours.");
            }
        }

        errors.Range(prefix + "capacity", Capacity, 1, MaxCapacity);
        errors.Range(prefix + "minimum", Minimum, 0, MaxCapacity, required: false);
        if (Minimum is { } minimum && Capacity is { } capacity && minimum > capacity)
        {
            errors.Add(prefix + "minimum", "'minimum' cannot exceed 'capacity'.");
        }

        errors.Text(prefix + "requiredQualification", RequiredQualification, 50, required: false);
    }

    /// <summary>
    /// A shift lies within its event's time, give or take <see cref="EventMargin"/>: one a day
    /// off is a typing error, and would escape the event's moves and the open-shift list's window.
    /// </summary>
    public void ValidateWithin(DateTimeOffset eventStartsAt, DateTimeOffset eventEndsAt, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (StartsAt is { } start && start < eventStartsAt - EventMargin)
        {
            errors.Add(prefix + "startsAt", $"A shift may start at most {EventMargin.TotalHours:0} hours before its event.");
        }

        if (EndsAt is { } end && end > eventEndsAt + EventMargin)
        {
            errors.Add(prefix + "endsAt", $"A shift may end at most {EventMargin.TotalHours:0} hours after its event.");
        }
    }

    /// <summary>The same shift moved by <paramref name="offset"/> (a series occurrence, a rescheduled event).</summary>
    public ShiftSpec MovedBy(TimeSpan offset) => this with { StartsAt = StartsAt + offset, EndsAt = EndsAt + offset };
}
