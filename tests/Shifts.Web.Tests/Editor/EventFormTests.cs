using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Shifts.Web.Api;
using Shifts.Web.Components.Editor;
using Shifts.Web.Localization;

namespace Shifts.Web.Tests.Editor;

/// <summary>
/// The new-event form: what it sends for a weekly series with its shift pattern (times in the
/// organisation's zone), and how its own checks and the API's validation errors show at their fields.
/// </summary>
public sealed class EventFormTests : ComponentTest
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Berlin);

    private IStringLocalizer<EditorText> Text => Services.GetRequiredService<IStringLocalizer<EditorText>>();

    private static EventDraft Posted(params (string Name, string Value)[] fields) =>
        EventDraft.Read(new FormCollection(fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => new StringValues(g.Select(f => f.Value).ToArray()))));

    private static readonly (string, string)[] Series =
    [
        ("Title", "Infostand im Viertel"), ("Kind", "info-stand"), ("LocationName", "Sielwall-Kreuzung"), ("Date", "2026-12-05"),
        ("StartTime", "10:00"), ("EndTime", "14:00"), ("Repeat", "true"), ("Weekdays", "wednesday"), ("RepeatEnd", "count"), ("Count", "4"),
        ("Rows", "3"), ("s0.Title", "Aufbau"), ("s0.Start", "09:30"), ("s0.End", "10:30"), ("s0.Capacity", "2"), ("s0.Minimum", "1"),
        ("s1.Title", "Standbetreuung"), ("s1.Capacity", "3"), ("s1.Qualification", "first-aid"), ("s1.Newcomer", "true"),
    ];

    [Fact]
    public void A_weekly_series_is_sent_in_the_organisations_zone_with_its_pattern_and_the_first_weekday_included()
    {
        var errors = new Dictionary<string, string>();
        var request = Posted(Series).ToRequest(Zone, errors, Text);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1)), request.StartsAt);
        Assert.Equal(TimeSpan.FromHours(1), request.StartsAt.Offset);
        Assert.Equal(["wednesday", "saturday"], request.Recurrence!.Weekdays);
        Assert.Equal(4, request.Recurrence.Count);
        Assert.Null(request.Recurrence.Until);
        Assert.Equal(2, request.Shifts.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.FromHours(1)), request.Shifts[0].StartsAt);
        // Without times, the event's.
        Assert.Equal((request.StartsAt, request.EndsAt), (request.Shifts[1].StartsAt!.Value, request.Shifts[1].EndsAt!.Value));
        Assert.Equal(("first-aid", true), (request.Shifts[1].RequiredQualification, request.Shifts[1].NewcomerFriendly));
    }

    [Fact]
    public void An_evening_past_midnight_ends_the_next_morning_and_so_does_its_late_shift()
    {
        var errors = new Dictionary<string, string>();
        var request = Posted(("Title", "Awareness-Nacht"), ("Kind", "awareness"), ("LocationName", "Lagerhaus"), ("Date", "2026-12-05"),
            ("StartTime", "22:00"), ("EndTime", "04:00"), ("Rows", "1"), ("s0.Title", "Spätschicht"), ("s0.Start", "01:00"), ("s0.End", "04:00"), ("s0.Capacity", "2"))
            .ToRequest(Zone, errors, Text)!;

        Assert.Equal(new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.FromHours(1)), request.EndsAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.FromHours(1)), request.Shifts[0].StartsAt);
    }

    [Fact]
    public void Rows_are_added_and_removed_and_numbered_anew()
    {
        var draft = Posted(Series).WithoutRow(0);
        Assert.Equal(["s0.", "s1."], draft.Shifts.Select(r => r.Prefix));
        Assert.Equal("Standbetreuung", draft.Shifts[0].Title);
        Assert.Equal(3, draft.WithRowAdded().Shifts.Count);
    }

    [Fact]
    public void The_forms_own_checks_name_each_field_in_the_persons_language_and_the_form_marks_them()
    {
        var errors = new Dictionary<string, string>();
        var draft = Posted(("Title", ""), ("Kind", "info-stand"), ("LocationName", "Sielwall"), ("Date", "2026-12-05"), ("StartTime", "10:00"), ("EndTime", "14:00"),
            ("Repeat", "true"), ("RepeatEnd", "until"), ("Until", "2026-11-01"), ("Rows", "1"), ("s0.Title", "Aufbau"), ("s0.Capacity", "2"), ("s0.Minimum", "5"));

        Assert.Null(draft.ToRequest(Zone, errors, Text));
        Assert.Equal(["Title", "Until", "s0.Minimum"], errors.Keys.Order(StringComparer.Ordinal));

        var form = Render<EventForm>(p => p.Add(f => f.Draft, draft).Add(f => f.Errors, errors));
        Assert.Equal("Bitte prüfe die markierten Felder.", form.Find(".notice.error p").TextContent);
        var title = form.Find("#ev-Title");
        Assert.Equal("true", title.GetAttribute("aria-invalid"));
        Assert.Equal("ev-Title-error", title.GetAttribute("aria-describedby"));
        Assert.Equal("Gib der Veranstaltung einen Titel (höchstens 200 Zeichen).", form.Find("#ev-Title-error").TextContent);
        Assert.Equal("Die Reihe kann nicht vor ihrem ersten Termin enden.", form.Find("#ev-Until-error").TextContent);
        Assert.Equal("Das Minimum kann nicht größer sein als die Plätze.", form.Find("#s0-Minimum-error").TextContent);
        Assert.Equal("true", form.Find("#s0-Minimum").GetAttribute("aria-invalid"));
        Assert.Null(form.Find("#ev-LocationName").GetAttribute("aria-invalid"));
        // What was typed comes back.
        Assert.Equal("Sielwall", form.Find("#ev-LocationName").GetAttribute("value"));
        Assert.Equal("5", form.Find("#s0-Minimum").GetAttribute("value"));
    }

    [Fact]
    public void The_APIs_validation_errors_land_at_the_rows_that_were_sent_blank_rows_not_counted()
    {
        var draft = Posted([.. Series, ("s2.Title", "Abbau"), ("s2.Capacity", "2")]) with { };
        // Row s1 blank: the API numbers s0 as shifts[0] and s2 as shifts[1].
        draft = draft with { Shifts = [draft.Shifts[0], ShiftRow.Empty("s1."), draft.Shifts[2]] };
        var problem = new ApiProblem(400, "validation", null, JsonDocument.Parse("""
            {"code":"validation","errors":{"shifts[1].startsAt":["A shift may start at most 12 hours before its event."],"location.name":["'location.name' is required."],"recurrence.count":["too many"],"somethingElse":["odd"]}}
            """).RootElement.Clone());

        var errors = draft.ErrorsFrom(problem);

        Assert.Equal("A shift may start at most 12 hours before its event.", errors["s2.Start"]);
        Assert.Equal("'location.name' is required.", errors["LocationName"]);
        Assert.Equal("too many", errors["Count"]);
        Assert.Equal("odd", errors[""]);

        Speak("en");
        var form = Render<EventForm>(p => p.Add(f => f.Draft, draft).Add(f => f.Errors, errors));
        Assert.Equal("A shift may start at most 12 hours before its event.", form.Find("#s2-Start-error").TextContent);
        Assert.Contains("odd", form.Find(".notice.error").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Remove shift 1", "Remove shift 2", "Remove shift 3"], form.FindAll("button[value^=remove]").Select(b => b.TextContent));
    }

    [Fact]
    public void Enter_in_a_field_saves_the_draft_rather_than_removing_the_first_row()
    {
        var form = Render<EventForm>(p => p.Add(f => f.Draft, EventDraft.New()));
        var first = form.Find("form button[type=submit]");
        Assert.Equal("create", first.GetAttribute("value"));
        Assert.Equal("post", form.Find("form").GetAttribute("method"));
    }
}
