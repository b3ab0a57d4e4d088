using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace Shifts.Web.Components.Layout;

/// <summary>
/// A navigation tab lit for a whole area of the app rather than for the paths under its own href:
/// the coordinators' staffing page lives at /shifts/{id}/staffing, under the helpers' "open shifts",
/// but belongs to "coordinate".
/// </summary>
public sealed class AreaLink : NavLink
{
    [Parameter, EditorRequired] public AppArea Area { get; set; }

    protected override bool ShouldMatch(string uriAbsolute) =>
        Uri.TryCreate(uriAbsolute, UriKind.Absolute, out var uri) && AppAreas.Of(uri.AbsolutePath) == Area;
}

public enum AppArea
{
    None,
    OpenShifts,
    Coordination,
    Members,
}

/// <summary>Which tab a page belongs to, by its path.</summary>
public static partial class AppAreas
{
    public static AppArea Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (CoordinationPath().IsMatch(path))
        {
            return AppArea.Coordination;
        }

        if (MembersPath().IsMatch(path))
        {
            return AppArea.Members;
        }

        return OpenShiftsPath().IsMatch(path) ? AppArea.OpenShifts : AppArea.None;
    }

    [GeneratedRegex(@"^/(orgs/[^/]+/(gaps|events(/(manage|new))?)|shifts/[^/]+/staffing|events/[^/]+/(plan|check-in|edit))/?$", RegexOptions.IgnoreCase)]
    private static partial Regex CoordinationPath();

    [GeneratedRegex(@"^/orgs/[^/]+/(members(/.*)?|qualifications)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex MembersPath();

    [GeneratedRegex(@"^/shifts(/[^/]+)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex OpenShiftsPath();
}
