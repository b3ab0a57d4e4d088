using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Shifts.Deployment.Tests;

/// <summary>What one way of deploying (compose, or a rendered overlay) gives a part.</summary>
/// <param name="Environment">Each variable and its value; null where it comes from a Secret.</param>
/// <param name="Helpers">Variables that only feed others through $(NAME) (Kubernetes' dependent variables).</param>
public sealed record PartSettings(string Where, IReadOnlyDictionary<string, string?> Environment, IReadOnlySet<string> Helpers);

/// <summary>docker-compose.yml as docker-compose resolved it.</summary>
public sealed class Compose(JsonObject file)
{
    private static readonly Lazy<Task<Compose>> Loaded = new(ParseAsync);

    /// <summary>The resolved file, parsed once per test run (docker-compose takes seconds to start).</summary>
    public static Task<Compose> LoadAsync() => Loaded.Value;

    private static async Task<Compose> ParseAsync()
    {
        var result = await Tools.ComposeConfigAsync();
        Assert.True(result.ExitCode == 0, $"docker-compose config failed: {result.Describe()}");
        return new Compose(Yaml.Document(result.Output));
    }

    public JsonObject Service(string name) =>
        file["services"]?[name] as JsonObject ?? throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'.");

    public IEnumerable<string> ServiceNames => ((JsonObject)file["services"]!).Select(p => p.Key);

    /// <summary>The service's volumes as (source, target), whichever syntax docker-compose printed.</summary>
    public IEnumerable<(string Source, string Target)> Volumes(string name) =>
        (Service(name)["volumes"] as JsonArray ?? []).Select(volume => volume is JsonObject o
            ? (o.Text("source")!, o.Text("target")!)
            : (volume!.GetValue<string>().Split(':')[0], volume.GetValue<string>().Split(':')[1]));

    public PartSettings Settings(string name)
    {
        var environment = Service(name)["environment"] as JsonObject ?? [];
        return new PartSettings($"docker-compose.yml service {name}",
            environment.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>()), new HashSet<string>());
    }
}

/// <summary>One rendered kustomize overlay.</summary>
public sealed partial class Overlay(string name, IReadOnlyList<JsonObject> objects)
{
    public string Name { get; } = name;

    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static async Task<Overlay> RenderAsync(string name) => new(name, Yaml.Documents(await Tools.KustomizeAsync(name)));

    private static readonly Dictionary<string, Task<Overlay>> Rendered = [];

    /// <summary>The overlay, rendered once per test run.</summary>
    public static Task<Overlay> CachedAsync(string name)
    {
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(name, out var overlay))
            {
                Rendered[name] = overlay = RenderAsync(name);
            }

            return overlay;
        }
    }

    public JsonObject Find(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Text("kind") == kind && o.Text("metadata", "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"overlay {Name} renders no {kind} '{name}'.");

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public JsonObject Container(string deployment) =>
        Find("Deployment", deployment).Objects("spec", "template", "spec", "containers").First();

    /// <summary>The container's variables: env entries, and the data of every ConfigMap it takes whole (envFrom).</summary>
    public PartSettings Settings(string deployment)
    {
        var container = Container(deployment);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.Objects("envFrom"))
        {
            var configMap = source.Text("configMapRef", "name");
            Assert.True(configMap is not null, $"{Name}/{deployment}: envFrom only takes ConfigMaps here (Secrets go by key, through env).");
            foreach (var (key, value) in Find("ConfigMap", configMap!)["data"] as JsonObject ?? [])
            {
                environment[key] = value?.GetValue<string>();
            }
        }

        foreach (var variable in container.Objects("env"))
        {
            environment[variable.Text("name")!] = variable.Text("value");
        }

        var helpers = environment.Values.Where(v => v is not null)
            .SelectMany(v => DependentVariable().Matches(v!).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        return new PartSettings($"overlay {Name} Deployment {deployment}", environment, helpers);
    }

    /// <summary>A value with every $(NAME) replaced by that variable's value (as the kubelet does).</summary>
    public static string Expand(PartSettings settings, string value) =>
        DependentVariable().Replace(value, m => settings.Environment.GetValueOrDefault(m.Groups[1].Value) ?? $"<secret {m.Groups[1].Value}>");

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex DependentVariable();
}

/// <summary>
/// scripts/app.sh, which `./shifts up` starts every part with on loopback: its list of parts, their
/// project folders, assemblies and ports, and the environment service_start gives each.
/// </summary>
public sealed partial class LocalStart
{
    private readonly string _script;

    private LocalStart(string script) => _script = script;

    public static LocalStart Load() => new(File.ReadAllText(Path.Combine(Tools.Root, "scripts", "app.sh")));

    /// <summary>SERVICES=(…): the parts in the order they are started.</summary>
    public IReadOnlyList<string> Parts =>
        PartList().Match(_script) is { Success: true } m ? m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>What a case function (service_dir, service_dll_name) echoes for the part.</summary>
    public string? Echo(string function, string part)
    {
        var body = Function(function);
        var line = Regex.Match(body, $@"^\s*{Regex.Escape(part)}\) echo (\S+) ;;", RegexOptions.Multiline);
        return line.Success ? line.Groups[1].Value : null;
    }

    /// <summary>The variable holding the part's port, from use_service_ports (set_port WEB SHIFTS_WEB_PORT 5104 → WEB_PORT).</summary>
    public bool HasPort(string part) =>
        Regex.IsMatch(Function("use_service_ports"), $@"^\s*set_port {part.ToUpperInvariant()} SHIFTS_{part.ToUpperInvariant()}_PORT \d+$", RegexOptions.Multiline);

    /// <summary>
    /// The environment service_start gives the part: the entries every part gets, then those of its
    /// branch of each if-chain (`if [[ $name == gateway ]]`, `elif [[ $name == web ]]`, and `else` for the parts the chain names in no branch).
    /// Values are as written, with the script's $VARIABLES unexpanded.
    /// </summary>
    public PartSettings Settings(string part)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        string? branch = null;
        foreach (var raw in Function("service_start").Split('\n'))
        {
            var line = raw.Trim();
            if (Branch().Match(line) is { Success: true } condition)
            {
                if (condition.Groups[1].Value == "if")
                {
                    named.Clear();
                }

                branch = condition.Groups[2].Value;
                named.Add(branch);
                continue;
            }

            if (line == "else")
            {
                branch = "else";
                continue;
            }

            if (line == "fi")
            {
                branch = null;
                continue;
            }

            // `else` comes after every `if`/`elif` of its chain, so `named` holds them all by then.
            var applies = branch is null || branch == part || (branch == "else" && !named.Contains(part));
            if (!applies || line.StartsWith('#'))
            {
                continue;
            }

            foreach (Match entry in Entry().Matches(line))
            {
                environment[entry.Groups[1].Value] = entry.Groups[2].Value;
            }
        }

        return new PartSettings($"scripts/app.sh service_start {part}", environment, new HashSet<string>());
    }

    private string Function(string name)
    {
        var start = _script.IndexOf($"\n{name}() {{", StringComparison.Ordinal);
        Assert.True(start >= 0, $"scripts/app.sh has no function {name}");
        var end = _script.IndexOf("\n}", start + 1, StringComparison.Ordinal);
        return _script[start..end];
    }

    [GeneratedRegex(@"^SERVICES=\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex PartList();

    [GeneratedRegex(@"^(if|elif) \[\[ \$name == (\w+) \]\]; then$")]
    private static partial Regex Branch();

    [GeneratedRegex("\"([A-Za-z_][A-Za-z0-9_]*)=([^\"]*)\"")]
    private static partial Regex Entry();
}
