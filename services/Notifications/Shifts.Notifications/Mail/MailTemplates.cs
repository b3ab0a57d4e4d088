using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Shifts.Notifications.Mail;

/// <summary>A piece of a mail in both forms: plain text and HTML (already encoded).</summary>
public sealed record MailBlock(string Text, string Html)
{
    public static MailBlock Empty { get; } = new("", "");

    public static MailBlock Join(IEnumerable<MailBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var list = blocks.ToList();
        return new MailBlock(string.Concat(list.Select(b => b.Text)), string.Concat(list.Select(b => b.Html)));
    }
}

/// <summary>A mail ready to queue: subject, plain text and HTML.</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The mail texts, kept as files (<c>Mail/Templates/{de,en}/{name}.txt</c> and <c>.html</c>,
/// embedded in the assembly) so that wording is changed without touching code. A text template
/// starts with a <c>Subject:</c> line and a blank line. <c>{{name}}</c> inserts a value (HTML-encoded
/// in the HTML part); <c>{{{name}}}</c> inserts a <see cref="MailBlock"/> rendered from another
/// template (a list of shifts, a reason). A placeholder without a value is a bug and throws.
/// </summary>
public static partial class MailTemplates
{
    private static readonly IReadOnlyDictionary<string, string> Files = Load();

    /// <summary>Encodes what HTML needs encoded, and leaves umlauts and dashes readable in the mail's source.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The languages mails are written in; any other locale gets English.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["de", "en"];

    /// <summary>"de" for German locales ("de", "de-AT"), else "en".</summary>
    public static string Language(string? locale) =>
        locale is not null && locale.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? "de" : "en";

    /// <summary>The names of the complete mails (those with a Subject line), for tests that check every one.</summary>
    public static IEnumerable<string> MailNames(string language) =>
        Files.Where(f => f.Key.StartsWith($"{language}/", StringComparison.Ordinal) && f.Key.EndsWith(".txt", StringComparison.Ordinal)
                         && f.Value.StartsWith("Subject:", StringComparison.Ordinal))
            .Select(f => f.Key[(language.Length + 1)..^4])
            .Order(StringComparer.Ordinal);

    public static RenderedMail Render(string name, string language, IReadOnlyDictionary<string, object> values)
    {
        var text = Read(language, name, ".txt");
        if (!text.StartsWith("Subject:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Template {language}/{name}.txt does not start with a Subject: line.");
        }

        var firstBreak = text.IndexOf('\n', StringComparison.Ordinal);
        var subject = Fill(text["Subject:".Length..firstBreak].Trim(), values, html: false, name);
        var body = Fill(text[(firstBreak + 1)..].TrimStart('\n'), values, html: false, name);
        var content = Fill(Read(language, name, ".html"), values, html: true, name);
        var page = Fill(Read("", "layout", ".html"), new Dictionary<string, object>
        {
            ["lang"] = language,
            ["subject"] = subject,
            ["content"] = new MailBlock("", content),
        }, html: true, "layout");
        return new RenderedMail(subject, Tidy(body), page);
    }

    /// <summary>A part of a mail from <c>{name}.txt</c> and, where it exists, <c>{name}.html</c> (else the text, encoded).</summary>
    public static MailBlock Block(string name, string language, IReadOnlyDictionary<string, object> values)
    {
        var text = Fill(Read(language, name, ".txt"), values, html: false, name);
        var html = Files.TryGetValue(Key(language, name, ".html"), out var htmlTemplate)
            ? Fill(htmlTemplate, values, html: true, name)
            : Html.Encode(text.TrimEnd('\n'));
        return new MailBlock(text, html);
    }

    /// <summary>
    /// Words someone wrote (a coordinator's message) as a block: unchanged in the text part, in the
    /// HTML part encoded with its line breaks kept (<c>&lt;br&gt;</c>), so nothing they typed is markup.
    /// </summary>
    public static MailBlock Written(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim('\n').Split('\n');
        return new MailBlock(string.Join('\n', lines) + "\n", string.Join("<br>", lines.Select(line => Html.Encode(line))));
    }

    private static string Fill(string template, IReadOnlyDictionary<string, object> values, bool html, string name) =>
        Placeholder().Replace(template, match =>
        {
            var isBlock = match.Groups["block"].Success;
            var key = isBlock ? match.Groups["block"].Value : match.Groups["value"].Value;
            if (!values.TryGetValue(key, out var value))
            {
                throw new InvalidOperationException($"Template {name} uses {{{{{key}}}}}, which was not given.");
            }

            return (isBlock, value) switch
            {
                (true, MailBlock block) => html ? block.Html : block.Text,
                (false, string text) => html ? Html.Encode(text) : text,
                _ => throw new InvalidOperationException($"Template {name}: {key} is a {(isBlock ? "block ({{{x}}})" : "value ({{x}})")}, but was given a {value.GetType().Name}."),
            };
        });

    /// <summary>An optional part left empty leaves blank lines behind; at most one blank line remains.</summary>
    private static string Tidy(string text) => BlankLines().Replace(text, "\n\n").Trim() + "\n";

    private static string Read(string language, string name, string extension) =>
        Files.TryGetValue(Key(language, name, extension), out var template)
            ? template
            : throw new InvalidOperationException($"No mail template {Key(language, name, extension)}.");

    private static string Key(string language, string name, string extension) =>
        language.Length == 0 ? name + extension : $"{language}/{name}{extension}";

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(MailTemplates).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("templates/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            files[resource["templates/".Length..].Replace('\\', '/')] = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        }

        return files;
    }

    [GeneratedRegex(@"\{\{\{(?<block>[A-Za-z][A-Za-z0-9]*)\}\}\}|\{\{(?<value>[A-Za-z][A-Za-z0-9]*)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex BlankLines();
}
