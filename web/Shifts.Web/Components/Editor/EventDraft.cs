using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Editor;

/// <summary>
/// A new event as the form holds it (what was typed, so a refused form comes back as sent): the
/// event, an optional weekly series, and the shift pattern copied to every occurrence. Turns into
/// the API's request, and maps the API's validation errors back onto the form's fields.
/// </summary>
public sealed partial record EventDraft(
    string? Title,
    string? Kind,
    string? Description,
    string? LocationName,
    string? LocationAddress,
    string? Date,
    string? StartTime,
    string? EndTime,
    bool Repeat,
    IReadOnlyList<string> Weekdays,
    string? RepeatEnd,
    string? Until,
    string? Count,
    IReadOnlyList<ShiftRow> Shifts)
{
    public const int MaxRows = 20;

    public static readonly IReadOnlyList<string> AllWeekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static EventDraft New() => new(null, "info-stand", null, null, null, null, "10:00", "14:00", false, [], "count", null, "4", [ShiftRow.Empty("s0.")]);

    public static EventDraft Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Field(string name) => form[name].FirstOrDefault();
        var rows = int.TryParse(Field("Rows"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, MaxRows) : 1;
        return new EventDraft(Field("Title"), Field("Kind"), Field("Description"), Field("LocationName"), Field("LocationAddress"),
            Field("Date"), Field("StartTime"), Field("EndTime"), Field("Repeat") == "true",
            form["Weekdays"].Where(d => d is not null && AllWeekdays.Contains(d)).Select(d => d!).Distinct().ToList(),
            Field("RepeatEnd") == "until" ? "until" : "count", Field("Until"), Field("Count"),
            Enumerable.Range(0, rows).Select(i => ShiftRow.Read(form, $"s{i}.")).ToList());
    }

    /// <summary>The same draft with one more empty shift row, or without row <paramref name="index"/>; the rows are numbered anew.</summary>
    public EventDraft WithRowAdded() => Shifts.Count >= MaxRows ? this : this with { Shifts = Renumber([.. Shifts, ShiftRow.Empty("")]) };

    public EventDraft WithoutRow(int index) => this with { Shifts = Renumber(Shifts.Where((_, i) => i != index)) };

    private static List<ShiftRow> Renumber(IEnumerable<ShiftRow> rows) => rows.Select((row, i) => row with { Prefix = $"s{i}." }).ToList();

    /// <summary>The API's request, or null with every reason in <paramref name="errors"/> (keyed by the form's field names).</summary>
    public NewEventRequest? ToRequest(TimeZoneInfo zone, IDictionary<string, string> errors, IStringLocalizer<EditorText> text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(Title) || Title.Trim().Length > 200)
        {
            errors["Title"] = text["error.title"];
        }

        if (string.IsNullOrWhiteSpace(Kind))
        {
            errors["Kind"] = text["error.kind"];
        }

        if (string.IsNullOrWhiteSpace(LocationName) || LocationName.Trim().Length > 200)
        {
            errors["LocationName"] = text["error.location"];
        }

        var date = LocalClock.Date(Date);
        if (date is null)
        {
            errors["Date"] = text["error.date"];
        }

        var start = LocalClock.Time(StartTime);
        if (start is null)
        {
            errors["StartTime"] = text["error.time"];
        }

        var end = LocalClock.Time(EndTime);
        if (end is null)
        {
            errors["EndTime"] = text["error.time"];
        }

        DateTimeOffset? startsAt = null, endsAt = null;
        if (date is { } day && start is { } s && end is { } e)
        {
            startsAt = LocalClock.Instant(day, s, zone);
            var sameDay = LocalClock.Instant(day, e, zone);
            // An end at or before the start is the next morning (an evening that runs past midnight).
            endsAt = sameDay > startsAt ? sameDay : LocalClock.Instant(day.AddDays(1), e, zone);
        }

        RecurrenceRequest? recurrence = null;
        if (Repeat)
        {
            recurrence = Recurrence(date, errors, text);
        }

        var shifts = new List<ShiftRequest>();
        foreach (var row in Shifts.Where(r => !r.IsBlank))
        {
            if (row.ToRequest(date, startsAt, endsAt, zone, errors, text) is { } shift)
            {
                shifts.Add(shift);
            }
        }

        return errors.Count > 0 ? null : new NewEventRequest(Title!.Trim(), Kind!, Blank(Description),
            new LocationRequest(LocationName!.Trim(), Blank(LocationAddress)), startsAt!.Value, endsAt!.Value, recurrence, shifts);
    }

    private RecurrenceRequest? Recurrence(DateOnly? date, IDictionary<string, string> errors, IStringLocalizer<EditorText> text)
    {
        // The first date is always an occurrence; its weekday counts as chosen.
        var weekdays = Weekdays.ToList();
        if (date is { } first && !weekdays.Contains(AllWeekdays[((int)first.DayOfWeek + 6) % 7]))
        {
            weekdays.Add(AllWeekdays[((int)first.DayOfWeek + 6) % 7]);
        }

        if (RepeatEnd == "until")
        {
            if (LocalClock.Date(Until) is not { } until)
            {
                errors["Until"] = text["error.until"];
                return null;
            }

            if (date is { } day && until < day)
            {
                errors["Until"] = text["error.until.before"];
                return null;
            }

            return new RecurrenceRequest(weekdays, until, null);
        }

        if (!int.TryParse(Count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 104)
        {
            errors["Count"] = text["error.count"];
            return null;
        }

        return new RecurrenceRequest(weekdays, null, count);
    }

    /// <summary>
    /// The API's validation errors ("shifts[1].capacity": [...]) on the form's fields ("s1.Capacity");
    /// the API's own words, as it names the rule. Fields the form does not have go under "".
    /// </summary>
    public IReadOnlyDictionary<string, string> ErrorsFrom(ApiProblem problem)
    {
        // The API numbers only the rows that were sent: the blank ones were left out.
        var sent = Shifts.Where(r => !r.IsBlank).ToList();
        return FieldErrors.From(problem, name => name switch
        {
            "title" => "Title",
            "kind" => "Kind",
            "description" => "Description",
            "location" or "location.name" => "LocationName",
            "location.address" => "LocationAddress",
            "startsAt" => "StartTime",
            "endsAt" => "EndTime",
            "recurrence" or "recurrence.weekdays" => "Weekdays",
            "recurrence.until" => "Until",
            "recurrence.count" => "Count",
            "shifts" => "Shifts",
            _ when ShiftField().Match(name) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < sent.Count =>
                sent[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)].Prefix + RowField(m.Groups[2].Value),
            _ => "",
        });
    }

    public static string RowField(string apiField) => apiField switch
    {
        "startsAt" => "Start",
        "endsAt" => "End",
        "capacity" => "Capacity",
        "minimum" => "Minimum",
        "requiredQualification" => "Qualification",
        "newcomerFriendly" => "Newcomer",
        "title" => "Title",
        _ => "",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^shifts\[(\d+)\]\.?(\w*)$")]
    private static partial Regex ShiftField();
}
