using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Shifts.Gateway;
using Shifts.Messaging.Outbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Reminders;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Login;

namespace Shifts.Deployment.Tests;

/// <summary>
/// One deployable part (a service, the web app or the gateway): where its project and Dockerfile are, and which
/// configuration keys its code reads, found in the source of its project and every project it
/// references. That list is what the deployment files are held against.
/// </summary>
public sealed partial class Component
{
    /// <summary>
    /// The sections bound to settings classes, and those classes: each public settable property is a
    /// key (Smtp:Host). A section found in the code but missing here fails
    /// <see cref="ConsistencyTests.Every_configuration_section_the_code_binds_is_known_to_these_tests"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Type> BoundSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["Smtp"] = typeof(SmtpOptions),
        ["Outbox"] = typeof(OutboxRelayOptions),
        ["Reminders"] = typeof(ReminderOptions),
        ["RateLimits"] = typeof(RateLimitSettings),
    };

    /// <summary>Set by the platform rather than read by Shifts code: the .NET host, OpenTelemetry's SDK.</summary>
    public static readonly IReadOnlySet<string> PlatformVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
        "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
    };

    public static readonly IReadOnlyList<Component> All =
    [
        new("volunteers", "services/Volunteers/Shifts.Volunteers/Shifts.Volunteers.csproj"),
        new("events", "services/Events/Shifts.Events/Shifts.Events.csproj"),
        new("notifications", "services/Notifications/Shifts.Notifications/Shifts.Notifications.csproj"),
        new("web", "web/Shifts.Web/Shifts.Web.csproj"),
        new("gateway", "gateway/Shifts.Gateway/Shifts.Gateway.csproj"),
    ];

    /// <summary>The services: each with its own database and the broker (the web app and the gateway have neither).</summary>
    public static IReadOnlyList<Component> Services => All.Where(c => c.IsService).ToList();

    private readonly Lazy<IReadOnlySet<string>> _keys;

    private Component(string name, string project)
    {
        Name = name;
        Project = project;
        _keys = new Lazy<IReadOnlySet<string>>(ReadKeys);
    }

    public static Component Named(string name) => All.Single(c => c.Name == name);

    public string Name { get; }

    /// <summary>The .csproj, relative to the repository root.</summary>
    public string Project { get; }

    public string ProjectDirectory => Path.GetDirectoryName(Project)!;

    public string Dockerfile => Path.Combine(ProjectDirectory, "Dockerfile");

    public string AssemblyName => Path.GetFileNameWithoutExtension(Project);

    public bool IsGateway => Name == "gateway";

    public bool IsWeb => Name == "web";

    public bool IsService => !IsGateway && !IsWeb;

    /// <summary>Configuration keys the code reads, ':'-separated (an environment variable's "__" is ':').</summary>
    public IReadOnlySet<string> Keys => _keys.Value;

    /// <summary>True when the component reads the environment variable (or it is the platform's).</summary>
    public bool Reads(string variable) =>
        PlatformVariables.Contains(variable)
        || variable.StartsWith("Logging__", StringComparison.Ordinal)
        || Keys.Contains(variable.Replace("__", ":", StringComparison.Ordinal));

    /// <summary>The project and every project it references, relative to the root, as folders.</summary>
    public IReadOnlyList<string> ProjectClosure()
    {
        var seen = new List<string>();
        var pending = new Stack<string>([Path.GetFullPath(Path.Combine(Tools.Root, Project))]);
        while (pending.TryPop(out var file))
        {
            var relative = Path.GetRelativePath(Tools.Root, Path.GetDirectoryName(file)!);
            if (seen.Contains(relative))
            {
                continue;
            }

            seen.Add(relative);
            foreach (var reference in XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    /// <summary>Every configuration section the code binds (GetSection("X"), BindConfiguration("X")), in any component.</summary>
    public static IReadOnlySet<string> SectionsInCode() =>
        All.SelectMany(c => c.Sources()).Distinct()
            .SelectMany(file => BoundSection().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    internal IEnumerable<string> Sources() =>
        ProjectClosure().SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Tools.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>
    /// The sources whose settings this part really reads: its own project, and of the building
    /// blocks every file except those whose Add… extension nobody calls for it: neither its own
    /// code nor another building block (the gateway references ServiceDefaults but never calls
    /// AddServiceDatabase, so it reads no connection string; AddTelemetry is called by AddServiceDefaults).
    /// </summary>
    private IEnumerable<string> SourcesInUse()
    {
        var own = Path.GetFullPath(Path.Combine(Tools.Root, ProjectDirectory)) + Path.DirectorySeparatorChar;
        var code = Sources().ToDictionary(file => file, File.ReadAllText);
        return code.Keys.Where(file =>
        {
            if (file.StartsWith(own, StringComparison.Ordinal))
            {
                return true;
            }

            var entries = AddExtension().Matches(code[file]).Select(m => m.Groups[1].Value).ToList();
            return entries.Count == 0 || entries.Any(entry => code.Any(other => other.Key != file && other.Value.Contains($".{entry}(", StringComparison.Ordinal)));
        });
    }

    private HashSet<string> ReadKeys()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in SourcesInUse())
        {
            var code = File.ReadAllText(file);
            // configuration["Auth:Authority"], GetValue("RabbitMq:StartTimeout", …), Duration(builder, "Auth:…", …)
            keys.UnionWith(KeyLiteral().Matches(code).Select(m => m.Groups[1].Value));
            // builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]
            keys.UnionWith(OtelLiteral().Matches(code).Select(m => m.Groups[1].Value));
            foreach (var section in BoundSection().Matches(code).Select(m => m.Groups[1].Value))
            {
                if (BoundSections.TryGetValue(section, out var type))
                {
                    keys.UnionWith(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                        .Where(p => p.SetMethod?.IsPublic == true && IsBindable(p.PropertyType))
                        .Select(p => $"{section}:{p.Name}"));
                }
            }

            if (code.Contains("GetConnectionString(", StringComparison.Ordinal))
            {
                keys.Add($"ConnectionStrings:{ServiceDatabase.ConnectionStringName}");
            }

            // The gateway builds "Services:{Name}" for each cluster of its route table.
            if (code.Contains("$\"Services:{", StringComparison.Ordinal))
            {
                keys.UnionWith(GatewayRoutes.Table.Select(r => r.Cluster).Distinct()
                    .Select(cluster => $"Services:{char.ToUpperInvariant(cluster[0])}{cluster[1..]}"));
            }
        }

        return keys;
    }

    private static bool IsBindable(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || Nullable.GetUnderlyingType(type) is not null;

    [GeneratedRegex("\"([A-Z][A-Za-z0-9]*(?::[A-Z][A-Za-z0-9]*)+)\"")]
    private static partial Regex KeyLiteral();

    [GeneratedRegex(@"public static [\w<>]+ (Add\w+)(?:<\w+>)?\(this ")]
    private static partial Regex AddExtension();

    [GeneratedRegex("\"(OTEL_[A-Z_]+)\"")]
    private static partial Regex OtelLiteral();

    [GeneratedRegex("(?:GetSection|BindConfiguration)\\(\"([A-Za-z0-9]+)\"\\)")]
    private static partial Regex BoundSection();
}
