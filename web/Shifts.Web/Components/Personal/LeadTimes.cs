using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Localization;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Personal;

/// <summary>One reminder lead time the profile form offers, as an ISO 8601 duration in the form.</summary>
public sealed record LeadTimeChoice(TimeSpan Duration, bool Chosen)
{
    public string Value => XmlConvert.ToString(Duration);
}

/// <summary>
/// The reminder lead times a person picks from: five usual ones, and any other the profile holds
/// already (set through the API), so saving the form never drops one silently. The API's rules
/// (at most five, each from 5 minutes to 14 days, none twice) are checked here too, to say in words
/// which one is wrong before asking.
/// </summary>
public static class LeadTimes
{
    public const int Max = 5;
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Longest = TimeSpan.FromDays(14);

    public static readonly IReadOnlyList<TimeSpan> Usual =
        [TimeSpan.FromDays(7), TimeSpan.FromDays(2), TimeSpan.FromHours(24), TimeSpan.FromHours(2), TimeSpan.FromHours(1)];

    /// <summary>The usual ones and the person's others, longest first, each ticked when chosen.</summary>
    public static IReadOnlyList<LeadTimeChoice> Choices(IEnumerable<TimeSpan> chosen)
    {
        var set = chosen.ToHashSet();
        return Usual.Union(set).OrderDescending().Select(d => new LeadTimeChoice(d, set.Contains(d))).ToList();
    }

    /// <summary>The ticked boxes' values, or why they cannot be saved (a key of MeText).</summary>
    public static (IReadOnlyList<TimeSpan> Durations, string? ErrorKey) Parse(IEnumerable<string?> values)
    {
        var durations = new List<TimeSpan>();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            TimeSpan duration;
            try
            {
                duration = XmlConvert.ToTimeSpan(value.Trim());
            }
            catch (FormatException)
            {
                return ([], "profile.leads.invalid");
            }

            if (duration < Min || duration > Longest)
            {
                return ([], "profile.leads.invalid");
            }

            if (!durations.Contains(duration))
            {
                durations.Add(duration);
            }
        }

        return durations.Count > Max ? ([], "profile.leads.tooMany") : (durations.OrderDescending().ToList(), null);
    }

    /// <summary>"1 Woche vorher", "2 Tage vorher", "24 Stunden vorher", "30 Minuten vorher".</summary>
    public static string Describe(IStringLocalizer<MeText> text, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (duration.Ticks % TimeSpan.FromDays(7).Ticks == 0)
        {
            return Count(text, "lead.weeks", (int)(duration.TotalDays / 7));
        }

        // A whole day is said in hours ("24 hours before": what people say about a reminder).
        if (duration.Ticks % TimeSpan.TicksPerDay == 0 && duration > TimeSpan.FromDays(1))
        {
            return Count(text, "lead.days", (int)duration.TotalDays);
        }

        if (duration.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return Count(text, "lead.hours", (int)duration.TotalHours);
        }

        return Count(text, "lead.minutes", (int)Math.Round(duration.TotalMinutes));
    }

    private static string Count(IStringLocalizer<MeText> text, string key, int n) =>
        text[n == 1 ? key + ".one" : key, n.ToString(CultureInfo.CurrentCulture)];
}
