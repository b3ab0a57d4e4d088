using System.Globalization;
using System.Text.RegularExpressions;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Profile;

/// <summary>What a profile and its notification preferences must look like.</summary>
public static partial class ProfileRules
{
    public const string DefaultLocale = "de";
    public const int MaxLeadTimes = 5;
    public static readonly TimeSpan MinLeadTime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(14);
    public static readonly TimeSpan[] DefaultLeadTimes = [TimeSpan.FromHours(24), TimeSpan.FromHours(2)];

    public static bool IsLocale(string? value) => value is "de" or "en";

    public static void Locale(ValidationErrors errors, string? locale)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (locale is not null && !IsLocale(locale))
        {
            errors.Add("locale", "'locale' must be de or en.");
        }
    }

    /// <summary>A phone number as people write it: digits, spaces and + ( ) / . -, 3 to 40 characters.</summary>
    public static void Phone(ValidationErrors errors, string field, string phone)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (phone.Length > 40)
        {
            errors.Add(field, $"'{field}' may be at most 40 characters long.");
        }
        else if (!PhonePattern().IsMatch(phone))
        {
            errors.Add(field, $"'{field}' must be a phone number: digits, spaces and + ( ) / . -");
        }
    }

    public static void LeadTimes(ValidationErrors errors, string field, TimeSpan[] leadTimes)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(leadTimes);
        if (leadTimes.Length > MaxLeadTimes)
        {
            errors.Add(field, $"'{field}' may hold at most {MaxLeadTimes} durations.");
        }

        if (leadTimes.Any(t => t < MinLeadTime || t > MaxLeadTime))
        {
            errors.Add(field, "Each reminder lead time must be between PT5M and P14D.");
        }

        if (leadTimes.Distinct().Count() != leadTimes.Length)
        {
            errors.Add(field, $"'{field}' must not repeat a duration.");
        }
    }

    /// <summary>A local wall-clock time "HH:mm" (24 hours).</summary>
    public static bool TryParseClock(string? text, out TimeOnly value) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static string Clock(TimeOnly value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9+()/. -]{3,40}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
