using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Plan;

/// <summary>The public plan's small wordings, shared by its event cards and its list of moved dates.</summary>
internal static class PlanText
{
    /// <summary>The event kind in words ("Infostand"), or the kind itself where no text exists.</summary>
    public static string Kind(IStringLocalizer<PublicText> s, string kind)
    {
        var text = s["kind." + kind];
        return text.ResourceNotFound ? kind : text;
    }

    public static string Where(PublicLocation location) =>
        string.Join(", ", new[] { location.Name, location.Address }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
