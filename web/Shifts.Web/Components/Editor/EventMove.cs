using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Editor;

/// <summary>
/// A move of an event as its form sends it, first to "review" (the preview says what it will do),
/// then again, the same values hidden, to "confirm": publish (this or the whole series), postpone
/// (a reason), reschedule (a new date and times), cancel (a reason; this or this and the following).
/// </summary>
public sealed record EventMove(string Move, string? Scope, string? Reason, string? Date, string? Start, string? End)
{
    public static readonly IReadOnlyList<string> Moves = ["publish", "postpone", "reschedule", "cancel"];

    public static EventMove? Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Field(string name) => form[name].FirstOrDefault();
        var move = Field("Move");
        return move is not null && Moves.Contains(move)
            ? new EventMove(move, Field("Scope"), Field("Reason"), Field("Date"), Field("Start"), Field("End"))
            : null;
    }

    /// <summary>Publish every draft of the series, not only this one.</summary>
    public bool Series => Move == "publish" && Scope == "series";

    /// <summary>Cancel this occurrence and every later one of the series.</summary>
    public bool Following => Move == "cancel" && Scope == "following";

    /// <summary>A reschedule's new start and end (an end before the start is the next morning), or null with the reasons in <paramref name="errors"/>.</summary>
    public (DateTimeOffset StartsAt, DateTimeOffset EndsAt)? Times(TimeZoneInfo zone, IDictionary<string, string> errors, IStringLocalizer<EditorText> text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(text);
        var date = LocalClock.Date(Date);
        var start = LocalClock.Time(Start);
        var end = LocalClock.Time(End);
        if (date is null)
        {
            errors["Date"] = text["error.date"];
        }

        if (start is null)
        {
            errors["Start"] = text["error.time"];
        }

        if (end is null)
        {
            errors["End"] = text["error.time"];
        }

        if (date is not { } day || start is not { } s || end is not { } e)
        {
            return null;
        }

        var startsAt = LocalClock.Instant(day, s, zone);
        var sameDay = LocalClock.Instant(day, e, zone);
        return (startsAt, sameDay > startsAt ? sameDay : LocalClock.Instant(day.AddDays(1), e, zone));
    }

    public PreviewRequest Preview((DateTimeOffset StartsAt, DateTimeOffset EndsAt)? times) => Move switch
    {
        "publish" => new PreviewRequest(Move, Series: Series),
        "cancel" => new PreviewRequest(Move, Following: Following),
        "reschedule" => new PreviewRequest(Move, times?.StartsAt, times?.EndsAt),
        _ => new PreviewRequest(Move),
    };

    /// <summary>The API's validation errors on this form's fields (a reschedule's times; a reason).</summary>
    public static Dictionary<string, string> ErrorsFrom(ApiProblem problem) =>
        FieldErrors.From(problem, name => name switch { "startsAt" => "Start", "endsAt" => "End", "reason" => "Reason", _ => "" });
}
