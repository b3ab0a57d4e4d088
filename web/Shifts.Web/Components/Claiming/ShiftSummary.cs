using Shifts.Web.Api;

namespace Shifts.Web.Components.Claiming;

/// <summary>
/// A shift as a card shows it, from either the open-shift list (always open and published) or
/// GET /api/shifts/{id} (any state).
/// </summary>
public sealed record ShiftSummary(
    Guid Id,
    string Org,
    string EventTitle,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    ShiftLocation Location,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    string? RequiredQualification,
    bool NewcomerFriendly,
    string Status = "open",
    string EventStatus = "published")
{
    public int Free => Math.Max(0, Capacity - Confirmed);

    public static ShiftSummary From(OpenShift shift, string org)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return new(shift.Id, org, shift.EventTitle, shift.Kind, shift.Title, shift.StartsAt, shift.EndsAt, shift.Location,
            shift.Capacity, shift.Minimum, shift.Confirmed, shift.Waitlisted, shift.RequiredQualification, shift.NewcomerFriendly);
    }

    public static ShiftSummary From(ShiftDetails shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return new(shift.Id, shift.Org, shift.EventTitle, shift.Kind, shift.Title, shift.StartsAt, shift.EndsAt, shift.Location,
            shift.Capacity, shift.Minimum, shift.Confirmed, shift.Waitlisted, shift.RequiredQualification, shift.NewcomerFriendly,
            shift.Status, shift.EventStatus);
    }
}
