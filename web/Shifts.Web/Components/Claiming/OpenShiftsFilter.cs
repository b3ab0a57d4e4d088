using System.Globalization;
using System.Text.RegularExpressions;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Claiming;

/// <summary>
/// The open-shift list's filters as the GET form sends them (dates as yyyy-MM-dd in the
/// organisation's time zone, the end date included). Whatever is in the address is read
/// leniently: a value that makes no sense is dropped, not an error page.
/// </summary>
public sealed partial record OpenShiftsFilter(DateOnly? From, DateOnly? To, string? Kind, string? Qualification, bool NewcomerOnly, bool IncludeFull)
{
    /// <summary>The event kinds the API knows (EventKind), in the order the select offers them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["info-stand", "distribution", "festival", "panel", "workshop", "meeting", "social", "awareness"];

    public static OpenShiftsFilter Parse(string? from, string? to, string? kind, string? qualification, string? newcomer, string? full)
    {
        var fromDate = ParseDate(from);
        var toDate = ParseDate(to);
        if (fromDate is { } f && toDate is { } t && t < f)
        {
            toDate = f;
        }

        return new(fromDate, toDate,
            kind is not null && Kinds.Contains(kind) ? kind : null,
            qualification is not null && Code().IsMatch(qualification) ? qualification : null,
            IsOn(newcomer), IsOn(full));
    }

    public bool IsActive => From is not null || To is not null || Kind is not null || Qualification is not null || NewcomerOnly || IncludeFull;

    /// <summary>The API query for one organisation: its local midnights, never before now (a started shift cannot be claimed).</summary>
    public OpenShiftsQuery QueryFor(string? timeZone, DateTimeOffset now, OpenShiftsContinuation? continuation, int limit)
    {
        DateTimeOffset? from = From is { } day ? Midnight(day, timeZone) : null;
        if (from is not null && from < now)
        {
            from = null;
        }

        if (continuation?.After is { } after && (from is null || after > from))
        {
            from = after;
        }

        DateTimeOffset? to = To is { } last ? Midnight(last.AddDays(1), timeZone) : null;
        return new OpenShiftsQuery(from, to, Kind, Qualification, NewcomerOnly, IncludeFull, limit, continuation?.Cursor);
    }

    /// <summary>This filter's address, optionally with where each organisation's next page starts.</summary>
    public string Url(IEnumerable<OpenShiftsContinuation>? more = null)
    {
        var parts = new List<string>();
        if (From is { } from)
        {
            parts.Add("from=" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (To is { } to)
        {
            parts.Add("to=" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (Kind is not null)
        {
            parts.Add("kind=" + Uri.EscapeDataString(Kind));
        }

        if (Qualification is not null)
        {
            parts.Add("qualification=" + Uri.EscapeDataString(Qualification));
        }

        if (NewcomerOnly)
        {
            parts.Add("newcomer=true");
        }

        if (IncludeFull)
        {
            parts.Add("full=true");
        }

        foreach (var next in more ?? [])
        {
            parts.Add("more=" + Uri.EscapeDataString(next.Encode()));
        }

        return parts.Count == 0 ? "/shifts" : "/shifts?" + string.Join('&', parts);
    }

    private static DateTimeOffset Midnight(DateOnly day, string? timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, When.Zone(timeZone).GetUtcOffset(local));
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static bool IsOn(string? value) => value is "true" or "on" or "1";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Code();
}

/// <summary>
/// Where one organisation's next page starts: the API's cursor, or (for an organisation whose
/// shifts were held back to keep the merged list in time order) the instant to start from.
/// </summary>
public sealed record OpenShiftsContinuation(string Org, string? Cursor, DateTimeOffset? After)
{
    public string Encode() => Cursor is not null
        ? $"{Org}:c:{Cursor}"
        : $"{Org}:f:{After!.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    public static OpenShiftsContinuation? Decode(string? value)
    {
        var parts = value?.Split(':', 3);
        if (parts is not [{ Length: > 0 } org, var kind, { Length: > 0 } rest])
        {
            return null;
        }

        return kind switch
        {
            "c" => new(org, rest, null),
            "f" when long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms < 253402300799999 =>
                new(org, null, DateTimeOffset.FromUnixTimeMilliseconds(ms)),
            _ => null,
        };
    }
}

/// <summary>One organisation's page as the API answered it.</summary>
public sealed record OrganisationPage(string Org, IReadOnlyList<ShiftSummary> Items, string? NextCursor);

/// <summary>
/// Merges the pages of several organisations into one list in time order. Each organisation's
/// API page ends somewhere else; showing all of them would put a later page's shifts before
/// shifts already shown. So the list ends at the earliest end among the organisations that have
/// more (the horizon): that organisation continues with its cursor, the others from the horizon
/// on, and nothing is shown twice or skipped.
/// </summary>
public static class OpenShiftsPaging
{
    public static (IReadOnlyList<ShiftSummary> Shown, IReadOnlyList<OpenShiftsContinuation> Next) Merge(IReadOnlyList<OrganisationPage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var withMore = pages.Where(p => p.NextCursor is not null && p.Items.Count > 0).ToList();
        if (withMore.Count == 0)
        {
            return (Ordered(pages.SelectMany(p => p.Items)), []);
        }

        var horizonPage = withMore.MinBy(p => p.Items[^1].StartsAt)!;
        var horizon = horizonPage.Items[^1].StartsAt;
        var shown = new List<ShiftSummary>();
        var next = new List<OpenShiftsContinuation> { new(horizonPage.Org, horizonPage.NextCursor, null) };
        foreach (var page in pages)
        {
            if (ReferenceEquals(page, horizonPage))
            {
                shown.AddRange(page.Items);
                continue;
            }

            shown.AddRange(page.Items.Where(s => s.StartsAt < horizon));
            if (page.NextCursor is not null || page.Items.Any(s => s.StartsAt >= horizon))
            {
                next.Add(new(page.Org, null, horizon));
            }
        }

        return (Ordered(shown), next);
    }

    private static List<ShiftSummary> Ordered(IEnumerable<ShiftSummary> shifts) =>
        [.. shifts.OrderBy(s => s.StartsAt).ThenBy(s => s.Id)];
}
