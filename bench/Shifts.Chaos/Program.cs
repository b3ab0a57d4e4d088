using System.Globalization;
using System.Text;
using System.Text.Json;
using Shifts.Chaos;

// ./shifts chaos runs this against the system it started (see scripts/chaos.sh); arguments:
//   --only a,b   run only these scenarios (rabbitmq, kill-events, kill-notifications, postgres, poison)
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries);
var names = only ?? Scenarios.All;
var unknown = names.Except(Scenarios.All).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Scenarios.All)}");
    return 2;
}

using var system = new ChaosSystem();
var started = DateTime.UtcNow;
Log.Line("starting the services and creating the organisation, a coordinator and 40 helpers through the gateway");
await system.SetUpAsync(helpers: 40);

var invariants = new Invariants(system);
var scenarios = new Scenarios(system, invariants);
var results = new List<ScenarioResult>();
foreach (var name in names)
{
    results.Add(await scenarios.RunAsync(name));
}

var report = new
{
    startedAt = started,
    finishedAt = DateTime.UtcNow,
    machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
    passed = results.All(r => r.Passed),
    scenarios = results,
};
Directory.CreateDirectory(system.ResultsDirectory);
var stem = Path.Combine(system.ResultsDirectory, $"chaos-{started:yyyy-MM-dd}");
await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
await File.WriteAllTextAsync(stem + ".md", Markdown(results, started));
Log.Line($"report: {stem}.md and .json");
Log.Line(report.passed ? $"chaos: {results.Count} scenarios passed" : $"chaos: {results.Count(r => !r.Passed)} of {results.Count} scenarios FAILED");
return report.passed ? 0 : 1;

static string Markdown(List<ScenarioResult> results, DateTime started)
{
    var md = new StringBuilder();
    var c = CultureInfo.InvariantCulture;
    md.AppendLine(c, $"# ./shifts chaos, {started:yyyy-MM-dd HH:mm} UTC");
    md.AppendLine();
    md.AppendLine("| scenario | result | claims attempted / confirmed | confirmed during fault | 503 (with Retry-After) | slowest 503 | 500 | 502/504 | no answer | first claim after repair | settled after |");
    md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (var r in results)
    {
        var f = r.Figures;
        md.AppendLine(c, $"| {r.Name} | {(r.Passed ? "pass" : "**FAIL**")} | {f.ClaimsAttempted} / {f.ClaimsConfirmed} | {f.ConfirmedDuringFault} of {f.ClaimsDuringFault} | {f.Answers503} ({f.Answers503WithRetryAfter}) | {f.Max503Millis} ms | {f.Answers500} | {f.Answers502Or504} | {f.NoAnswer} | {Seconds(f.FirstClaimAfterFaultSeconds)} | {Seconds(f.SettledSeconds)} |");
    }

    foreach (var r in results)
    {
        md.AppendLine();
        md.AppendLine(c, $"## {r.Name}: {(r.Passed ? "pass" : "FAIL")}");
        md.AppendLine();
        md.AppendLine(c, $"Fault: {r.Fault} (fault window {r.Figures.FaultSeconds} s).");
        md.AppendLine();
        foreach (var check in r.Checks)
        {
            md.AppendLine(c, $"- [{(check.Passed ? "x" : " ")}] {check.Name}: {check.Detail}");
        }

        foreach (var note in r.Notes)
        {
            md.AppendLine(c, $"- note: {note}");
        }

        if (r.Error is not null)
        {
            md.AppendLine(c, $"- error: {r.Error}");
        }
    }

    return md.ToString();

    static string Seconds(double? s) => s is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{s} s");
}
