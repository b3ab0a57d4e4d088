using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Shifts.Deployment.Tests;

/// <summary>One row of the settings table in docs/operations.md.</summary>
public sealed record SettingRow(string Variable, string ReadBy, string Default, string SetBy, string Meaning)
{
    /// <summary>The default as a value (the first `code` span of its cell); null when the cell names none (– or prose).</summary>
    public string? DefaultValue => Regex.Match(Default, "^`([^`]+)`") is { Success: true } m ? m.Groups[1].Value : null;

    public string Line => $"| `{Variable}` | {ReadBy} | {Default} | {SetBy} | {Meaning} |";
}

/// <summary>
/// The table "setting → default → who overrides it" of docs/operations.md, and the defaults as the
/// code gives them: the initial values of the settings classes, and the fallbacks written beside a key
/// (<c>GetValue("RabbitMq:StartTimeout", TimeSpan.FromSeconds(60))</c>, <c>configuration["X"] ?? "…"</c>).
/// </summary>
public static partial class SettingsTable
{
    public static readonly string Path = System.IO.Path.Combine(Tools.Root, "docs", "operations.md");

    public static IReadOnlyList<SettingRow> Rows()
    {
        var text = File.ReadAllText(Path);
        return TableRow().Matches(text)
            .Select(m => new SettingRow(m.Groups[1].Value, m.Groups[2].Value.Trim(), m.Groups[3].Value.Trim(), m.Groups[4].Value.Trim(), m.Groups[5].Value.Trim()))
            .ToList();
    }

    /// <summary>The default the code gives a key (':'-separated), as an environment variable would spell it; null when the code shows none.</summary>
    public static string? CodeDefault(string key) => CodeDefaults.Value.GetValueOrDefault(key);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> CodeDefaults = new(ReadCodeDefaults);

    private static Dictionary<string, string> ReadCodeDefaults()
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, type) in Component.BoundSections)
        {
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
            {
                if (Format(property.GetValue(instance)) is { } value)
                {
                    defaults[$"{section}:{property.Name}"] = value;
                }
            }
        }

        var sources = Component.All.SelectMany(c => c.Sources()).Distinct().Select(File.ReadAllText).ToList();
        foreach (var code in sources)
        {
            foreach (Match m in LiteralFallback().Matches(code))
            {
                defaults[m.Groups[1].Value] = m.Groups["number"].Success
                    ? m.Groups["number"].Value
                    : Format(Duration(m.Groups["unit"].Value, double.Parse(m.Groups["amount"].Value, CultureInfo.InvariantCulture)))!;
            }

            foreach (Match m in TextFallback().Matches(code))
            {
                defaults[m.Groups[1].Value] = m.Groups[2].Value;
            }
        }

        return defaults;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        string text => text,
        _ => null,
    };

    private static TimeSpan Duration(string unit, double amount) => unit switch
    {
        "Milliseconds" => TimeSpan.FromMilliseconds(amount),
        "Seconds" => TimeSpan.FromSeconds(amount),
        "Minutes" => TimeSpan.FromMinutes(amount),
        "Hours" => TimeSpan.FromHours(amount),
        _ => TimeSpan.FromDays(amount),
    };

    /// <summary>| `Variable` | read by | default | set by | meaning |</summary>
    [GeneratedRegex(@"^\| `([A-Za-z_][A-Za-z0-9_]*)` \|([^|\n]*)\|([^|\n]*)\|([^|\n]*)\|(.*)\|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    /// <summary>"Key", TimeSpan.FromSeconds(60) or "Key", 20: GetValue and the volunteers service's Duration(builder, key, fallback, …).</summary>
    [GeneratedRegex(@"""([A-Z][A-Za-z0-9]*(?::[A-Z][A-Za-z0-9]*)+)"",\s*(?:TimeSpan\.From(?<unit>\w+)\((?<amount>\d+)\)|(?<number>\d+)\))")]
    private static partial Regex LiteralFallback();

    /// <summary>configuration["Key"] ?? "text".</summary>
    [GeneratedRegex(@"\[""([A-Z][A-Za-z0-9]*(?::[A-Z][A-Za-z0-9]*)+)""\]\s*\?\?\s*""([^""]+)""")]
    private static partial Regex TextFallback();
}
