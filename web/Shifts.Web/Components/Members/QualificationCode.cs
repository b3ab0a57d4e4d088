using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Shifts.Web.Components.Members;

/// <summary>
/// A qualification's code as the API wants it (lower-case letters, digits and single hyphens, at
/// most 50), made from its name when the coordinator leaves it empty: "Erste Hilfe" → erste-hilfe.
/// </summary>
public static partial class QualificationCode
{
    public const int MaxLength = 50;

    public static bool IsValid(string? code) => code is { Length: >= 1 and <= MaxLength } && Kebab().IsMatch(code);

    public static string From(string? name)
    {
        var text = (name ?? "").ToLowerInvariant()
            .Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal)
            .Replace("ü", "ue", StringComparison.Ordinal).Replace("ß", "ss", StringComparison.Ordinal);
        var plain = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            // Accents and invisible marks (a soft hyphen) go; everything else not a letter or digit is a hyphen.
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format)
            {
                continue;
            }

            plain.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        var code = Hyphens().Replace(plain.ToString(), "-").Trim('-');
        return code.Length <= MaxLength ? code : code[..MaxLength].TrimEnd('-');
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Kebab();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
