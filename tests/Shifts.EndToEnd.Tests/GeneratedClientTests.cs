using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The client in tests/Shifts.Client is generated (Kiota) from tests/Shifts.Client/openapi.json, a copy
/// of the merged document the gateway serves. One test keeps the copy equal to what the running system
/// serves; another uses the generated client against the system, so the documents cannot lie.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class GeneratedClientTests(ShiftsSystem system)
{
    private const string UpdateVariable = "SHIFTS_UPDATE_OPENAPI";

    private static readonly string UpdateCommand =
        $"{UpdateVariable}=1 ./shifts test --filter {nameof(GeneratedClientTests)} (see tests/Shifts.Client/README.md)";

    [Fact]
    public async Task The_committed_document_is_the_merged_one_the_gateway_serves()
    {
        var served = await system.Gateway.GetStringAsync("/openapi/shifts.json");
        var committedPath = Path.Combine(RepositoryRoot(), "tests", "Shifts.Client", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var indented = JsonNode.Parse(served)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(committedPath, indented.ReplaceLineEndings("\n") + "\n");
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; write it with {UpdateCommand}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath));
        var difference = FirstDifference(JsonNode.Parse(served), committed, "");
        Assert.True(difference is null,
            $"tests/Shifts.Client/openapi.json differs from the gateway's /openapi/shifts.json at '{difference}'. " +
            $"If the change to the API is intended, update the copy (and so the generated client) with {UpdateCommand}");
    }

    /// <summary>The JSON pointer of the first place where the two documents differ, or null when they are equal (property order aside).</summary>
    private static string? FirstDifference(JsonNode? served, JsonNode? committed, string pointer)
    {
        switch (served, committed)
        {
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!left.ContainsKey(name) || !right.ContainsKey(name))
                        return child;
                    if (FirstDifference(left[name], right[name], child) is { } found)
                        return found;
                }

                return null;
            case (JsonArray left, JsonArray right):
                for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
                {
                    if (i >= left.Count || i >= right.Count)
                        return $"{pointer}/{i}";
                    if (FirstDifference(left[i], right[i], $"{pointer}/{i}") is { } found)
                        return found;
                }

                return null;
            default:
                return JsonNode.DeepEquals(served, committed) ? null : pointer;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shifts.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Shifts.sln not found above the test binaries.");
    }
}
