using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Editor;

/// <summary>
/// One shift as the form holds it: what was typed, as typed, so a refused form comes back as it was
/// sent. <see cref="Prefix"/> names its fields ("s0." in a new event's pattern, "" for one shift).
/// </summary>
public sealed record ShiftRow(string Prefix, string? Title, string? Start, string? End, string? Capacity, string? Minimum, string? Qualification, bool NewcomerFriendly)
{
    public const int MaxCapacity = 10_000;

    public static ShiftRow Empty(string prefix) => new(prefix, null, null, null, null, null, null, false);

    public static ShiftRow Read(IFormCollection form, string prefix)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Field(string name) => form[prefix + name].FirstOrDefault();
        return new ShiftRow(prefix, Field("Title"), Field("Start"), Field("End"), Field("Capacity"), Field("Minimum"), Field("Qualification"), Field("Newcomer") == "true");
    }

    public static ShiftRow Of(string prefix, EditorShift shift, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return new ShiftRow(prefix, shift.Title, LocalClock.TimeText(shift.StartsAt, zone), LocalClock.TimeText(shift.EndsAt, zone),
            shift.Capacity.ToString(CultureInfo.InvariantCulture), shift.Minimum.ToString(CultureInfo.InvariantCulture), shift.RequiredQualification, shift.NewcomerFriendly);
    }

    /// <summary>Nothing typed at all: a row left empty is no shift.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Start) && string.IsNullOrWhiteSpace(End)
        && string.IsNullOrWhiteSpace(Capacity) && string.IsNullOrWhiteSpace(Minimum);

    /// <summary>
    /// The shift on the event's day, or null with the reasons in <paramref name="errors"/> (keyed by
    /// the field's name, e.g. "s1.Capacity"). Empty times take the event's.
    /// </summary>
    public ShiftRequest? ToRequest(DateOnly? date, DateTimeOffset? eventStart, DateTimeOffset? eventEnd, TimeZoneInfo zone, IDictionary<string, string> errors, IStringLocalizer<EditorText> text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(text);
        var valid = true;
        var title = Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200)
        {
            errors[Prefix + "Title"] = text["error.shift.title"];
            valid = false;
        }

        var start = string.IsNullOrWhiteSpace(Start) ? null : LocalClock.Time(Start);
        if (!string.IsNullOrWhiteSpace(Start) && start is null)
        {
            errors[Prefix + "Start"] = text["error.time"];
            valid = false;
        }

        var end = string.IsNullOrWhiteSpace(End) ? null : LocalClock.Time(End);
        if (!string.IsNullOrWhiteSpace(End) && end is null)
        {
            errors[Prefix + "End"] = text["error.time"];
            valid = false;
        }

        if (!int.TryParse(Capacity, NumberStyles.Integer, CultureInfo.InvariantCulture, out var capacity) || capacity is < 1 or > MaxCapacity)
        {
            errors[Prefix + "Capacity"] = text["error.capacity"];
            valid = false;
        }

        var minimum = 0;
        if (!string.IsNullOrWhiteSpace(Minimum) && (!int.TryParse(Minimum, NumberStyles.Integer, CultureInfo.InvariantCulture, out minimum) || minimum < 0))
        {
            errors[Prefix + "Minimum"] = text["error.minimum"];
            valid = false;
        }
        else if (valid && minimum > capacity)
        {
            errors[Prefix + "Minimum"] = text["error.minimum.capacity"];
            valid = false;
        }

        if (!valid || date is not { } day || eventStart is not { } from || eventEnd is not { } to)
        {
            return null;
        }

        var startsAt = start is { } s ? LocalClock.After(day, s, from, TimeSpan.FromHours(12), zone) : from;
        var endsAt = end is { } e ? LocalClock.After(day, e, startsAt, TimeSpan.Zero, zone) : to;
        return new ShiftRequest(title, startsAt, endsAt, capacity, minimum,
            string.IsNullOrWhiteSpace(Qualification) ? null : Qualification.Trim(), NewcomerFriendly);
    }
}
