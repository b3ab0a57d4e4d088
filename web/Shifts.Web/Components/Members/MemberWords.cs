using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Members;

/// <summary>Roles and qualification codes in words, for the members pages.</summary>
public static class MemberWords
{
    public static string Role(IStringLocalizer<MembersText> text, string role)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text["role." + role];
        return words.ResourceNotFound ? role : words;
    }

    /// <summary>The organisation's name for a code; the code itself for one it no longer lists.</summary>
    public static string Qualification(IReadOnlyList<Qualification> known, string code) =>
        known.FirstOrDefault(q => q.Code == code)?.Name ?? code;

    /// <summary>The members page's address with its search and filter, optionally after a cursor.</summary>
    public static string ListLink(string org, string? search, string? qualification, string? after = null)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(search))
        {
            query.Add("search=" + Uri.EscapeDataString(search.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(qualification))
        {
            query.Add("qualification=" + Uri.EscapeDataString(qualification));
        }

        if (!string.IsNullOrEmpty(after))
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        var path = $"/orgs/{Uri.EscapeDataString(org)}/members";
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }
}
