using System.Text.RegularExpressions;
using Shifts.ServiceDefaults.Problems;
using Shifts.ServiceDefaults.Time;

namespace Shifts.Volunteers.Organisations;

/// <summary>What an organisation's settings must look like (the database checks the same).</summary>
public static partial class OrganisationRules
{
    public static readonly TimeSpan MaxCancellationDeadline = TimeSpan.FromDays(30);
    public static readonly TimeSpan MinGapAlertLeadTime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxGapAlertLeadTime = TimeSpan.FromDays(30);
    public const int MaxGapAlertLeadTimes = 5;

    public static bool IsSlug(string? value) => value is { Length: >= 1 and <= 60 } && Kebab().IsMatch(value);

    public static void Slug(ValidationErrors errors, string? slug)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(slug))
        {
            errors.Add("slug", "'slug' is required.");
        }
        else if (!IsSlug(slug))
        {
            errors.Add("slug", "'slug' must be 1 to 60 lower-case letters, digits and single hyphens, e.g. kv-mitte-ost.");
        }
    }

    /// <summary>An IANA time zone the server knows (e.g. <see cref="TimeZones.DefaultId"/>); Windows names are refused.</summary>
    public static void TimeZone(ValidationErrors errors, string? timeZone, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (timeZone is null)
        {
            if (required)
            {
                errors.Add("timeZone", $"'timeZone' is required, e.g. {TimeZones.DefaultId}.");
            }
        }
        else if (timeZone.Length is 0 or > 64
                 || timeZone.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
                 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) || !zone.HasIanaId || zone.Id != timeZone)
        {
            errors.Add("timeZone", $"'timeZone' must be an IANA time zone such as {TimeZones.DefaultId}.");
        }
    }

    public static void CancellationDeadline(ValidationErrors errors, TimeSpan? deadline)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (deadline is { } value && (value < TimeSpan.Zero || value > MaxCancellationDeadline))
        {
            errors.Add("cancellationDeadline", "'cancellationDeadline' must be between PT0S and P30D.");
        }
    }

    public static void GapAlertLeadTimes(ValidationErrors errors, TimeSpan[]? leadTimes)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (leadTimes is null)
        {
            return;
        }

        if (leadTimes.Length > MaxGapAlertLeadTimes)
        {
            errors.Add("gapAlertLeadTimes", $"'gapAlertLeadTimes' may hold at most {MaxGapAlertLeadTimes} durations.");
        }

        if (leadTimes.Any(t => t < MinGapAlertLeadTime || t > MaxGapAlertLeadTime))
        {
            errors.Add("gapAlertLeadTimes", "Each gap alert lead time must be between PT1H and P30D.");
        }

        if (leadTimes.Distinct().Count() != leadTimes.Length)
        {
            errors.Add("gapAlertLeadTimes", "'gapAlertLeadTimes' must not repeat a duration.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    internal static partial Regex Kebab();
}
