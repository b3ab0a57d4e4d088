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

    /// <summary>The same shift moved by <paramref name="offset"/> (a series occurrence, a rescheduled event).</summary>
    public ShiftSpec MovedBy(TimeSpan offset) => this with { StartsAt = StartsAt + offset, EndsAt = EndsAt + offset };
}
