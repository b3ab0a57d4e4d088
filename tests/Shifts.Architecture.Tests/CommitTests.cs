using System.Text.RegularExpressions;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// How the services commit. A transaction that writes an outbox row or a delivery wakes the relay
/// of its own process after it commits (CommitWakeup), instead of a NOTIFY inside it, which would
/// serialise the commits of every claim. A commit that bypasses CommitWakeup is not wrong, only
/// slow: its work waits for the next poll. Both rules keep it that way.
/// </summary>
public sealed partial class CommitTests
{
    private static readonly string[] Sources = Directory
        .EnumerateFiles(Path.Combine(Repository.Root, "services"), "*.cs", SearchOption.AllDirectories)
        .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .ToArray();

    [Fact]
    public void Every_commit_in_the_services_wakes_the_workers_of_its_process()
    {
        var offenders = Sources
            .Where(file => Path.GetFileName(file) != "CommitWakeup.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(hit => RawCommit().IsMatch(hit.line))
            .Select(hit => $"{Path.GetRelativePath(Repository.Root, hit.file)}:{hit.number}: {hit.line.Trim()}")
            .ToList();

        Assert.NotEmpty(Sources);
        Assert.True(offenders.Count == 0,
            "commit with CommitWakeup.CommitAndWakeAsync(transaction, token), so the relay wakes at once:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_service_notifies_inside_a_transaction()
    {
        // Code only: the comments that explain why there is no NOTIFY may name it.
        var offenders = Sources
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(hit => !hit.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Where(hit => hit.line.Contains("pg_notify", StringComparison.OrdinalIgnoreCase) || Notify().IsMatch(hit.line))
            .Select(hit => $"{Path.GetRelativePath(Repository.Root, hit.file)}:{hit.number}: {hit.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "NOTIFY serialises the commits of all notifying transactions; use CommitWakeup:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_commit_pattern_recognises_a_raw_commit()
    {
        // Guards the rule above from passing because its pattern matches nothing.
        Assert.Matches(RawCommit(), "        await tx.CommitAsync(cancellationToken);");
        Assert.Matches(RawCommit(), "await transaction.CommitAsync(token);");
        Assert.DoesNotMatch(RawCommit(), "await CommitWakeup.CommitAndWakeAsync(tx, cancellationToken);");
        Assert.Matches(Notify(), "SELECT 1; NOTIFY shifts_outbox;");
        Assert.Matches(Notify(), "NOTIFY shifts_deliveries, 'x'");
        Assert.DoesNotMatch(Notify(), "/// a NOTIFY in every claim made the claims queue");
    }

    [GeneratedRegex(@"\.\s*Commit(Async)?\s*\(")]
    private static partial Regex RawCommit();

    [GeneratedRegex(@"\bNOTIFY\s+[a-z_]+\s*[;,']", RegexOptions.IgnoreCase)]
    private static partial Regex Notify();
}
