using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shifts.Bench;

/// <summary>One scenario's outcome: its figures, the limit it is compared with, the ratio, the goal and whether it was met.</summary>
public sealed class ScenarioResult(string id, string name)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    /// <summary>The headline figure as the table shows it, e.g. "412 claims/s".</summary>
    public string Figure { get; set; } = "";
    /// <summary>What it is measured against in the same run, e.g. "pgbench 1,020 tps".</summary>
    public string Limit { get; set; } = "–";
    public double? Ratio { get; set; }
    public string Goal { get; set; } = "";
    /// <summary>true met, false missed, null not judged (the scenario failed to run).</summary>
    public bool? Met { get; set; }
    public string? Error { get; set; }
    public string LoadAverageAtStart { get; set; } = "";
    public string LoadAverageAtEnd { get; set; } = "";
    public double Seconds { get; set; }
    public Dictionary<string, object?> Figures { get; } = new(StringComparer.Ordinal);
}

public sealed class Report(BenchSettings settings)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public List<ScenarioResult> Scenarios { get; } = [];
    public Dictionary<string, object?> Setup { get; } = new(StringComparer.Ordinal);

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public (string Json, string Markdown) Write()
    {
        Directory.CreateDirectory(settings.ResultsDirectory);
        var stem = StartedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (settings.Quick ? "-quick" : "");
        var jsonPath = Path.Combine(settings.ResultsDirectory, stem + ".json");
        var mdPath = Path.Combine(settings.ResultsDirectory, stem + ".md");
        var document = new
        {
            startedAt = StartedAt,
            finishedAt = DateTimeOffset.UtcNow,
            mode = settings.Quick ? "quick" : "full",
            commit = settings.Commit,
            machine = new
            {
                cores = Environment.ProcessorCount,
                memoryGiB = Math.Round(MemoryGiB(), 1),
                os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                dotnet = Environment.Version.ToString(),
                loadAverageAtEnd = LoadAverage(),
            },
            clients = settings.Clients,
            setup = Setup,
            scenarios = Scenarios,
        };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, Json) + "\n");
        File.WriteAllText(mdPath, Markdown(stem));
        return (jsonPath, mdPath);
    }

    public string Markdown(string stem)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark {stem}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`./shifts bench{(settings.Quick ? " --quick" : "")}` at commit `{settings.Commit}`, {StartedAt:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores, {MemoryGiB():0} GiB; {settings.Clients} clients. The load average (1/5/15 min) is shown per scenario: the machine is shared, so figures are noisy.");
        text.AppendLine();
        text.AppendLine(Table());
        return text.ToString();
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| # | Scenario | Figure | Limit (same run) | Ratio | Goal | Result | Load avg |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var s in Scenarios)
        {
            var result = s.Met switch { true => "met", false => "**missed**", null => $"error: {s.Error}" };
            var ratio = s.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "–";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Id} | {s.Name} | {s.Figure} | {s.Limit} | {ratio} | {s.Goal} | {result} | {s.LoadAverageAtStart} |");
        }

        return text.ToString();
    }

    private static double MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }
}
