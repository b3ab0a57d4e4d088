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
/// What `./shifts up` starts (scripts/app.sh), asked of the script itself: bash sources it with
/// every port and folder set to its own name, so values read as written (<c>$GATEWAY_PORT</c>).
/// </summary>
public sealed class LocalStart
{
    private const string Script = """
        set -euo pipefail
        REPO_ROOT=$1
        . "$REPO_ROOT/scripts/lib.sh"; . "$REPO_ROOT/scripts/infra.sh"; . "$REPO_ROOT/scripts/app.sh"
        dashboard_otlp_endpoint() { printf '%s' '$OTLP_ENDPOINT'; }
        use_service_ports
        for name in "${SERVICES[@]}"; do
          printf 'part %s\ndir %s\ndll %s\nport %s\n' "$name" "$(service_dir "$name")" "$(service_dll_name "$name")" "$(service_port_var "$name")"
        done
        for key in GATEWAY VOLUNTEERS EVENTS NOTIFICATIONS WEB PG AMQP SMTP; do printf -v "${key}_PORT" '$%s_PORT' "$key"; done
        STATE_DIR='$STATE_DIR' ADMIN_EMAIL='$ADMIN_EMAIL'
        for name in "${SERVICES[@]}"; do
          printf 'part %s\n' "$name"
          service_env "$name" | sed 's/^/env /'
        done
        """;

    private static readonly Lazy<Task<LocalStart>> Loaded = new(RunAsync);

    private readonly Dictionary<string, Dictionary<string, string>> _facts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string?>> _environment = new(StringComparer.Ordinal);

    public static Task<LocalStart> LoadAsync() => Loaded.Value;

    /// <summary>SERVICES=(…): the parts in the order they are started.</summary>
    public IReadOnlyList<string> Parts => [.. _facts.Keys];

    /// <summary>What service_dir and service_dll_name give the part ("dir", "dll"), and its port variable ("port").</summary>
    public string? Fact(string part, string fact) => _facts.GetValueOrDefault(part)?.GetValueOrDefault(fact);

    /// <summary>What service_env gives the part, with the script's $VARIABLES unexpanded.</summary>
    public PartSettings Settings(string part) =>
        new($"scripts/app.sh service_env {part}", _environment.GetValueOrDefault(part) ?? [], new HashSet<string>());

    private static async Task<LocalStart> RunAsync()
    {
        var result = await Tools.RunAsync("bash", ["-c", Script, "bash", Tools.Root]);
        Assert.True(result.ExitCode == 0, $"sourcing scripts/app.sh failed: {result.Describe()}");
        var local = new LocalStart();
        string? part = null;
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (word, rest) = (line.Split(' ', 2)[0], line.Split(' ', 2).ElementAtOrDefault(1) ?? "");
            if (word == "part")
            {
                part = rest;
                local._facts.TryAdd(part, []);
                local._environment.TryAdd(part, []);
            }
            else if (word == "env")
            {
                var (key, value) = (rest.Split('=', 2)[0], rest.Split('=', 2).ElementAtOrDefault(1));
                local._environment[part!][key] = value;
            }
            else
            {
                local._facts[part!][word] = rest;
            }
        }

        return local;
    }
}
