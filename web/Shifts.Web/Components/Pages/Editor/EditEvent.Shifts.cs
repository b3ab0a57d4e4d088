using Shifts.Web.Api;
using Shifts.Web.Components.Editor;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Pages.Editor;

/// <summary>The editor's shift forms: a change, a cancellation, a new shift; each refused one comes back with its errors at its fields.</summary>
public sealed partial class EditEvent
{
    private async Task SaveShiftAsync(EditorShift shift)
    {
        var (request, row) = ReadShift(shift.Id, "edit");
        if (request is null)
        {
            return;
        }

        // An empty choice removes a qualification the shift had ("" clears it, absent would keep it).
        if (request.RequiredQualification is null && shift.RequiredQualification is not null)
        {
            request = request with { RequiredQualification = "" };
        }

        var saved = await Api.EditShiftAsync(shift.Id, request);
        await AfterShiftAsync(saved, "shift-saved");
    }

    private async Task AddShiftAsync()
    {
        var (request, _) = ReadShift(null, "new");
        if (request is null)
        {
            return;
        }

        await AfterShiftAsync(await Api.CreateShiftAsync(_event!.Id, request), "shift-added");
    }

    private async Task CancelShiftAsync(EditorShift shift)
    {
        _shiftId = shift.Id;
        _posted = "cancel";
        await AfterShiftAsync(await Api.CancelShiftAsync(shift.Id, HttpContext.Request.Form["Reason"].ToString()), "shift-cancelled");
    }

    private (ShiftRequest? Request, ShiftRow Row) ReadShift(Guid? shiftId, string posted)
    {
        _shiftId = shiftId;
        _posted = posted;
        _row = ShiftRow.Read(HttpContext.Request.Form, "");
        var ev = _event!;
        var date = DateOnly.FromDateTime(When.Local(ev.StartsAt, ev.TimeZone).DateTime);
        return (_row.ToRequest(date, ev.StartsAt, ev.EndsAt, Zone, _errors, E), _row);
    }

    private async Task AfterShiftAsync<TValue>(ApiResult<TValue> result, string done)
    {
        if (result.Ok)
        {
            Navigation.NavigateTo($"/events/{_event!.Id}/edit?done={done}#shifts");
            return;
        }

        var problem = result.Problem!;
        foreach (var (field, message) in FieldErrors.From(problem, EventDraft.RowField))
        {
            _errors[field] = message;
        }

        if (problem.Code == "capacity-below-confirmed")
        {
            _errors["Capacity"] = E["fail.capacity"];
        }

        if (_errors.Count == 0)
        {
            _errors[""] = MoveProblem(problem);
        }
    }
}
