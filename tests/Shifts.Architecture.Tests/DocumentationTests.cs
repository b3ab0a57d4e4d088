using System.Text.RegularExpressions;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// The documents send a reader to files by path (`Claims/IdempotencyKeys.cs`,
/// `Shifts.Messaging/Outbox/OutboxRelay.cs`, `scripts/app.sh`): each such path must still be where
/// the document says, so a rename or a split cannot leave the map pointing at nothing.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string[] Documents = ["README.md", "docs/architecture.md", "docs/operations.md", "bench/README.md", "tests/Shifts.Client/README.md"];

    private static readonly Lazy<IReadOnlyList<string>> Files = new(() => FilesUnder(Repository.Root).ToList());

    public static TheoryData<string> DocumentNames => [.. Documents];

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void Every_file_path_a_document_names_exists(string document)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, document));
        var named = FilePath().Matches(text).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(named);

        var missing = named.Where(path => !Files.Value.Any(file => file == path || file.EndsWith("/" + path, StringComparison.Ordinal))).ToList();

        Assert.True(missing.Count == 0, $"{document} names files that are not in the repository: {string.Join(", ", missing)}");
    }

    /// <summary>The repository's files as paths from its root; never descends into build output or the local servers' data (.local holds whole databases).</summary>
    private static IEnumerable<string> FilesUnder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            yield return Path.GetRelativePath(Repository.Root, file).Replace(Path.DirectorySeparatorChar, '/');
        }

        foreach (var child in Directory.EnumerateDirectories(folder).Where(d => Path.GetFileName(d) is not ("bin" or "obj" or "node_modules" or ".git" or ".local")))
        {
            foreach (var file in FilesUnder(child))
            {
                yield return file;
            }
        }
    }

    /// <summary>A path in backticks with at least one folder and a file ending: no spaces, placeholders or wildcards.</summary>
    [GeneratedRegex(@"`(?<path>[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)+\.(?:cs|razor|sh|json|ya?ml|md|css|js|props|csproj|sql|resx|png|sln))`")]
    private static partial Regex FilePath();
}
