using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Editor;

/// <summary>
/// What a coordinator's click will do, in sentences, said before the click: for an event's move from
/// the API's preview (occurrences, people told, claims released, overlaps), for a shift's change or
/// cancellation from its staffing. Counts choose their sentence: none, one or several.
/// </summary>
public static class Consequences
{
    public static IReadOnlyList<string> Of(IStringLocalizer<EditorText> text, EventPreview preview)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(preview);
        var sentences = new List<string>();
        switch (preview.Action)
        {
            case "publish":
                sentences.Add(preview.Events > 1 ? text["consequence.publish.series", preview.Events, preview.Shifts] : Count(text, "consequence.publish", preview.Shifts));
                break;
            case "postpone":
                sentences.Add(text["consequence.postpone"]);
                break;
            case "reschedule":
                sentences.Add(Count(text, "consequence.reschedule", preview.Shifts));
                break;
            case "cancel":
                sentences.Add(preview.Events > 1 ? text["consequence.cancel.series", preview.Events, preview.Shifts] : Count(text, "consequence.cancel", preview.Shifts));
                break;
        }

        sentences.Add(Count(text, "consequence.told", preview.Told));
        if (preview.Action == "reschedule")
        {
            if (preview.Overlapping > 0 || preview.Released == 0)
            {
                sentences.Add(Count(text, "consequence.overlapping", preview.Overlapping));
            }

            if (preview.Released > preview.Overlapping)
            {
                sentences.Add(Count(text, preview.Overlapping > 0 ? "consequence.releasedMore" : "consequence.released", preview.Released - preview.Overlapping));
            }
        }
        else if (preview.Released > 0 || preview.Action == "cancel")
        {
            sentences.Add(Count(text, "consequence.released", preview.Released));
        }

        return sentences;
    }

    /// <summary>When the preview could not be had: the move's own sentence and who is told, without numbers.</summary>
    public static IReadOnlyList<string> Unknown(IStringLocalizer<EditorText> text, string action)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lead = action switch
        {
            "publish" => text["consequence.publish.zero"].Value,
            "postpone" => text["consequence.postpone"].Value,
            "reschedule" => text["consequence.reschedule.zero"].Value,
            _ => text["consequence.cancel.zero"].Value,
        };
        return [lead, text["consequence.unknown"]];
    }

    /// <summary>A shift's change: the people on it are told; a move may release a place.</summary>
    public static IReadOnlyList<string> OfShiftEdit(IStringLocalizer<EditorText> text, int confirmed)
    {
        ArgumentNullException.ThrowIfNull(text);
        return confirmed == 0
            ? [text["consequence.shift.edit.zero"]]
            : [Count(text, "consequence.shift.edit", confirmed), text["consequence.shift.move"]];
    }

    /// <summary>A shift's cancellation: everyone on it loses their place, and the waitlist is told too.</summary>
    public static IReadOnlyList<string> OfShiftCancel(IStringLocalizer<EditorText> text, int confirmed, int waitlisted)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (confirmed == 0 && waitlisted == 0)
        {
            return [text["consequence.shift.cancel.zero"]];
        }

        var sentences = new List<string>();
        if (confirmed > 0)
        {
            sentences.Add(Count(text, "consequence.shift.cancel.confirmed", confirmed));
        }

        if (waitlisted > 0)
        {
            sentences.Add(Count(text, "consequence.shift.cancel.waitlisted", waitlisted));
        }

        return sentences;
    }

    /// <summary>The sentence for <paramref name="n"/>: "{key}.zero" (where there is one), "{key}.one" or "{key}.other".</summary>
    public static string Count(IStringLocalizer<EditorText> text, string key, int n)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (n == 0 && text[key + ".zero", n] is { ResourceNotFound: false } zero)
        {
            return zero;
        }

        return text[key + (n == 1 ? ".one" : ".other"), n];
    }
}
