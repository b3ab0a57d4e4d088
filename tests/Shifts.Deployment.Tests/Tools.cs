using System.Diagnostics;

namespace Shifts.Deployment.Tests;

/// <summary>The output of a command line run to its end.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public string Describe() => $"exit code {ExitCode}\n{Output}\n{Error}".Trim();
}

/// <summary>
/// The command-line tools the deployment is checked with. A missing tool fails the test with the
/// tool's name and how to get it: never a silent pass.
/// </summary>
public static class Tools
{
    public static readonly string Root = FindRoot();

    private static readonly Lazy<Task> NodeModules = new(InstallValidatorAsync);

    public static async Task<CommandResult> RunAsync(string tool, IEnumerable<string> arguments, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory ?? Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed ({ex.Message}). {HowToGet(tool)}", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                process.StandardInput.Close();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return new CommandResult(process.ExitCode, await output, await error);
        }
    }

    private static readonly Dictionary<string, Task<string>> Rendered = [];

    /// <summary><c>kubectl kustomize</c> of an overlay, as YAML (rendered once per test run).</summary>
    public static Task<string> KustomizeAsync(string overlay)
    {
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(overlay, out var yaml))
            {
                Rendered[overlay] = yaml = RenderAsync(overlay);
            }

            return yaml;
        }
    }

    private static async Task<string> RenderAsync(string overlay)
    {
        var result = await RunAsync("kubectl", ["kustomize", Path.Combine(Root, "k8s", "overlays", overlay)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize k8s/overlays/{overlay} failed: {result.Describe()}");
        return result.Output;
    }

    /// <summary>Runs k8s/validate/validate.mjs on the YAML (its packages installed once per test run with npm ci).</summary>
    public static async Task<CommandResult> ValidateManifestsAsync(string yaml)
    {
        await NodeModules.Value;
        return await RunAsync("node", [Path.Combine(Root, "k8s", "validate", "validate.mjs")], input: yaml);
    }

    /// <summary>docker-compose.yml as docker-compose resolves it (defaults filled in), with the optional profiles.</summary>
    public static async Task<CommandResult> ComposeConfigAsync() =>
        await RunAsync("docker-compose", ["--profile", "demo", "config"]);

    private static async Task InstallValidatorAsync()
    {
        var result = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], workingDirectory: Path.Combine(Root, "k8s", "validate"));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in k8s/validate failed: {result.Describe()}");
        }
    }

    private static string HowToGet(string tool) => tool switch
    {
        "kubectl" => "Install kubectl 1.27 or later (it brings kustomize 5); Debian's kubernetes-client is too old for the overlays.",
        "docker-compose" => "Run ./shifts test (it installs Debian's docker-compose), or apt-get install docker-compose.",
        "node" or "npm" => "Run ./shifts test (it installs Debian's nodejs and npm when missing), or install Node.js 20 or later.",
        _ => "",
    };

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shifts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Shifts.sln above {AppContext.BaseDirectory}.");
    }
}
