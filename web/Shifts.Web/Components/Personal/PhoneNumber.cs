using System.Text.RegularExpressions;

namespace Shifts.Web.Components.Personal;

/// <summary>A phone number as the volunteers service accepts it (ProfileRules.Phone): digits, spaces and + ( ) / . -, 3 to 40 characters.</summary>
public static partial class PhoneNumber
{
    public static bool IsValid(string phone) => Pattern().IsMatch(phone);

    [GeneratedRegex(@"^[0-9+()/. -]{3,40}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
