using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Shifts.Web.Api;
using Shifts.Web.Components.Editor;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Pages.Editor;

/// <summary>What the event editor does with each of its forms; the markup is in EditEvent.razor.</summary>
public sealed partial class EditEvent
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    [Parameter] public Guid Id { get; set; }

    [SupplyParameterFromQuery(Name = "done")] private string? Done { get; set; }

    [SupplyParameterFromQuery(Name = "n")] private int? DoneCount { get; set; }

    [SupplyParameterFromForm(Name = "_handler")] private string? PostedForm { get; set; }

    [CascadingParameter] private HttpContext HttpContext { get; set; } = null!;

    private EditorEvent? _event;
    private Organisation? _organisation;
    private IReadOnlyList<Qualification> _qualifications = [];
    private string? _problem;
    private string? _notice;

    /// <summary>Which form was sent and refused ("details", "move", "edit", "cancel", "new"), with its errors and what it held.</summary>
    private string? _posted;
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private EventMove? _sent;
    private EventEditRequest? _details;
    private Guid? _shiftId;
    private ShiftRow? _row;

    private Review? _review;

    private sealed record Review(EventMove Move, IReadOnlyList<string> Sentences);

    private string OrganisationName => _organisation?.Name ?? _event?.Org ?? "";

    private TimeZoneInfo Zone => When.Zone(_event?.TimeZone);

    private string? DoneText => Done switch
    {
        "created" => E["done.created"].Value,
        "saved" => E["done.saved"].Value,
        "published" => DoneCount is > 1 ? E["done.published.series", DoneCount.Value].Value : E["done.published"].Value,
        "postponed" => E["done.postponed"].Value,
        "rescheduled" => E["done.rescheduled"].Value,
        "cancelled" => DoneCount is > 1 ? E["done.cancelled.following", DoneCount.Value].Value : E["done.cancelled"].Value,
        "shift-added" => E["done.shiftAdded"].Value,
        "shift-saved" => E["done.shiftSaved"].Value,
        "shift-cancelled" => E["done.shiftCancelled"].Value,
        _ => null,
    };

    protected override async Task OnInitializedAsync()
    {
        var loaded = await Api.EditorEventAsync(Id);
        if (!loaded.Ok)
        {
            if (loaded.Problem!.Status == 404)
            {
                Navigation.NotFound();
                return;
            }

            _problem = T.Describe(loaded.Problem);
            return;
        }

        var ev = loaded.Value!;
        _organisation = await Organisations.GetAsync(ev.Org);
        if (!await Coordinators.IsCoordinatorAsync(Person, ev.Org))
        {
            _problem = C["coord.forbidden", OrganisationName];
            return;
        }

        _event = ev;
        _qualifications = (await Api.QualificationsAsync(ev.Org)).Value?.Items ?? [];
        if (PostedForm == "confirm" && EventMove.Read(HttpContext.Request.Form) is { } move)
        {
            // The confirmation's form has to be on the page for its post to reach ConfirmAsync.
            _review = new Review(move, []);
        }
    }

    private string S(string kind) => K["kind." + kind] is { ResourceNotFound: false } known ? known : kind;

    private string? Error(string form, string field) => _posted == form ? _errors.GetValueOrDefault(field) : null;

    private string? Invalid(string form, string field) => Error(form, field) is null ? null : "true";

    private string? ErrorId(string form, string field) => Error(form, field) is null ? null : $"{form}-{field}-error";

    private string ConfirmLabel(EventMove move) => move.Move switch
    {
        "publish" => move.Series ? E["confirm.publish.series"] : E["confirm.publish"],
        "postpone" => E["confirm.postpone"],
        "reschedule" => E["confirm.reschedule"],
        _ => move.Following ? E["confirm.cancel.following"] : E["confirm.cancel"],
    };

    /// <summary>Step one: what the move will do, from the API's preview; nothing changes yet.</summary>
    private async Task ReviewAsync()
    {
        if (_event is null || EventMove.Read(HttpContext.Request.Form) is not { } move)
        {
            return;
        }

        _sent = move;
        _posted = "move";
        (DateTimeOffset, DateTimeOffset)? times = null;
        if (move.Move == "reschedule" && (times = move.Times(Zone, _errors, E)) is null)
        {
            return;
        }

        var preview = await Api.PreviewAsync(_event.Id, move.Preview(times));
        if (preview is { Ok: true, Value: { } numbers })
        {
            _review = new Review(move, Consequences.Of(E, numbers));
            return;
        }

        if (preview.Problem is { Code: "validation" } invalid)
        {
            foreach (var (field, message) in EventMove.ErrorsFrom(invalid))
            {
                _errors[field] = message;
            }

            return;
        }

        // Without the numbers the move is still possible; the text says who will be told, in general.
        _review = new Review(move, Consequences.Unknown(E, move.Move));
    }

    /// <summary>Step two: the move itself, with the values the review showed.</summary>
    private async Task ConfirmAsync()
    {
        if (_event is null || _review is null)
        {
            return;
        }

        var move = _review.Move;
        var ev = _event;
        ApiResult<EditorEvent> result;
        switch (move.Move)
        {
            case "publish":
                result = await Api.PublishEventAsync(ev.Id, move.Series);
                break;
            case "postpone":
                result = await Api.PostponeEventAsync(ev.Id, move.Reason);
                break;
            case "reschedule":
                if (move.Times(Zone, _errors, E) is not { } times)
                {
                    _review = null;
                    _sent = move;
                    _posted = "move";
                    return;
                }

                result = await Api.RescheduleEventAsync(ev.Id, times.StartsAt, times.EndsAt);
                break;
            default:
                result = await Api.CancelEventAsync(ev.Id, move.Reason, move.Following);
                break;
        }

        if (result.Ok)
        {
            var done = move.Move switch { "publish" => "published", "postpone" => "postponed", "reschedule" => "rescheduled", _ => "cancelled" };
            var count = move.Series || move.Following ? $"&n={await CountAsync(move)}" : "";
            Navigation.NavigateTo($"/events/{ev.Id}/edit?done={done}{count}");
            return;
        }

        _review = null;
        _sent = move;
        _posted = "move";
        foreach (var (field, message) in EventMove.ErrorsFrom(result.Problem!))
        {
            _errors[field] = message;
        }

        _notice = MoveProblem(result.Problem!);
    }

    /// <summary>How many occurrences a series move touched: the ones of the series now in the state it set.</summary>
    private async Task<int> CountAsync(EventMove move)
    {
        var page = await Api.EventsAsync(_event!.Org, _event.StartsAt.AddMinutes(-1), null);
        var status = move.Series ? "published" : "cancelled";
        return page.Value?.Items.Count(e => e.SeriesId == _event.SeriesId && e.Status == status && e.StartsAt >= _event.StartsAt) ?? 1;
    }

    private string MoveProblem(ApiProblem problem) => problem.Code switch
    {
        "event-cancelled" => E["fail.cancelled"],
        "event-postponed" => E["fail.postponed"],
        "event-not-published" => E["fail.notPublished"],
        "validation" => E["new.check"],
        _ => T.Describe(problem),
    };

    private async Task SaveDetailsAsync()
    {
        if (_event is null)
        {
            return;
        }

        var form = HttpContext.Request.Form;
        _posted = "details";
        _details = new EventEditRequest(form["Title"].ToString(), form["Description"].ToString(),
            new LocationRequest(form["LocationName"].ToString(), form["LocationAddress"].ToString()));
        if (string.IsNullOrWhiteSpace(_details.Title) || _details.Title.Trim().Length > 200)
        {
            _errors["Title"] = E["error.title"];
        }

        if (string.IsNullOrWhiteSpace(_details.Location!.Name) || _details.Location.Name.Trim().Length > 200)
        {
            _errors["LocationName"] = E["error.location"];
        }

        if (_errors.Count > 0)
        {
            return;
        }

        var saved = await Api.EditEventAsync(_event.Id, _details with { Title = _details.Title!.Trim() });
        if (saved.Ok)
        {
            Navigation.NavigateTo($"/events/{_event.Id}/edit?done=saved");
            return;
        }

        foreach (var (field, message) in FieldErrors.From(saved.Problem!, FieldErrors.Details))
        {
            _errors[field] = message;
        }

        _notice = MoveProblem(saved.Problem!);
    }
}
