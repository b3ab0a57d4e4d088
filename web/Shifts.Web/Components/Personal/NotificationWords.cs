using Microsoft.Extensions.Localization;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Personal;

/// <summary>What a sent mail was about and what became of it, in the person's words.</summary>
public static class NotificationWords
{
    /// <summary>The kind ("reminder", "claim-confirmed", ...) as a short label; null for a kind this app does not know (the subject says enough).</summary>
    public static string? Kind(IStringLocalizer<MeText> text, string kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        var label = text["notifications.kind." + kind];
        return label.ResourceNotFound ? null : label.Value;
    }

    public static string Status(IStringLocalizer<MeText> text, string status)
    {
        ArgumentNullException.ThrowIfNull(text);
        var label = text["notifications.status." + status];
        return label.ResourceNotFound ? status : label.Value;
    }

    /// <summary>The badge's colour class: sent is good, failed is bad, the rest is neutral.</summary>
    public static string StatusClass(string status) => status switch
    {
        "sent" => "ok",
        "failed" => "danger",
        "pending" => "warn",
        _ => "",
    };
}
