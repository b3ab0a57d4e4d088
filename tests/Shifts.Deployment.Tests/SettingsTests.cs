using System.Globalization;
using System.Text.RegularExpressions;

namespace Shifts.Deployment.Tests;

/// <summary>
/// One source for each setting: its name and default are in the code that reads it, and
/// docs/operations.md lists them (this test keeps the table true). Every way of starting Shifts
/// sets only what differs there — addresses, ports, secrets, this instance's names — and never a
/// variable its part does not read, nor a default again.
/// </summary>
public sealed partial class SettingsTests
{
    /// <summary>What one way of starting Shifts sets; <c>Part</c> is null where the test reads only the names (the scripts' extras, the end-to-end system).</summary>
    public sealed record Setting(string Where, string? Part, string Variable, string? Value);

    public static TheoryData<string, string> Deployments()
    {
        var data = new TheoryData<string, string>();
        foreach (var where in new[] { "up", "compose", "dev", "prod" })
        {
            foreach (var component in Component.All)
            {
                data.Add(where, component.Name);
            }
        }

        return data;
    }

    [Fact]
    public void Every_configuration_section_the_code_binds_is_known_to_these_tests()
    {
        var unknown = Component.SectionsInCode().Where(s => !Component.BoundSections.ContainsKey(s)).ToList();

        Assert.True(unknown.Count == 0, $"Add these sections and their settings classes to Component.BoundSections: {string.Join(", ", unknown)}");
    }

    [Fact]
    public async Task The_settings_table_names_every_setting_who_reads_it_its_default_and_who_sets_it()
    {
        var rows = SettingsTable.Rows();
        var written = rows.ToDictionary(r => r.Variable, StringComparer.Ordinal);
        var settings = await AllSettingsAsync();
        var expected = Component.All.SelectMany(c => c.Keys).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(key => key.Replace(":", "__", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(variable => new SettingRow(
                variable,
                ReadBy(variable),
                written.GetValueOrDefault(variable)?.Default ?? (SettingsTable.CodeDefault(Key(variable)) is { } value ? $"`{value}`" : "?"),
                SetBy(settings.Where(s => s.Variable == variable)),
                written.GetValueOrDefault(variable)?.Meaning ?? "?"))
            .ToList();

        Assert.True(rows.Select(r => r.Line).SequenceEqual(expected.Select(r => r.Line)),
            $"docs/operations.md: the settings table should read\n{string.Join('\n', expected.Select(r => r.Line))}");
        Assert.All(rows, row =>
        {
            if (SettingsTable.CodeDefault(Key(row.Variable)) is { } code)
            {
                Assert.True(code == row.DefaultValue, $"docs/operations.md: {row.Variable} defaults to `{code}` in the code, not {row.Default}");
            }
        });
    }

    [Fact]
    public async Task No_way_of_starting_Shifts_restates_a_default()
    {
        var defaults = SettingsTable.Rows().Where(r => r.DefaultValue is not null).ToDictionary(r => r.Variable, r => r.DefaultValue!, StringComparer.Ordinal);

        var restated = (await AllSettingsAsync())
            .Where(s => s.Value is not null && defaults.TryGetValue(s.Variable, out var value) && Same(s.Value, value))
            .Select(s => $"{s.Where} {s.Part}: {s.Variable}={s.Value}")
            .ToList();

        Assert.True(restated.Count == 0, $"These restate the default (docs/operations.md); leave them out:\n{string.Join('\n', restated)}");
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task Every_variable_set_for_a_part_is_one_that_part_reads(string where, string part)
    {
        var component = Component.Named(part);
        var settings = await SettingsAsync(where, part);

        var unread = settings.Environment.Keys
            .Concat(where == "up" ? [] : DockerfileVariables(component))
            .Where(variable => !settings.Helpers.Contains(variable) && !component.Reads(variable))
            .ToList();

        Assert.True(unread.Count == 0, $"{settings.Where} sets variables that {part} never reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public async Task Every_setting_the_bench_the_chaos_run_and_the_end_to_end_tests_give_is_read_by_a_part()
    {
        var unread = (await AllSettingsAsync()).Where(s => s.Part is null && !Component.All.Any(c => c.Reads(s.Variable))).ToList();

        Assert.True(unread.Count == 0, $"nothing reads {string.Join(", ", unread.Select(s => $"{s.Variable} ({s.Where})"))}");
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task Every_part_gets_the_settings_it_cannot_run_without(string where, string part)
    {
        var settings = await SettingsAsync(where, part);
        // Network__TrustedProxies: the gateway is not on a service's loopback in compose and
        // Kubernetes, so without it every client would be counted as the gateway (rate limits) and
        // forwarded addresses ignored; the web app would take every request for plain HTTP and the
        // gateway for the browser. `up` runs everything on loopback, which is the default.
        string[] proxies = where == "up" ? [] : ["Network__TrustedProxies"];
        string[] required = part switch
        {
            "volunteers" => ["ConnectionStrings__Database", "RabbitMq__Uri", "Shifts__PublicBaseUrl", "Shifts__Bootstrap__AdminEmail", .. proxies],
            "events" => ["ConnectionStrings__Database", "RabbitMq__Uri", "Auth__Authority", "Shifts__PublicBaseUrl", .. proxies],
            "notifications" => ["ConnectionStrings__Database", "RabbitMq__Uri", "Auth__Authority", "Smtp__Host", "Shifts__PublicBaseUrl", .. proxies],
            // Without a key ring folder each replica (and each restart) would make keys of its own.
            "web" => ["Web__GatewayAddress", "DataProtection__KeyRingPath", .. proxies],
            _ => ["Services__Volunteers", "Services__Events", "Services__Notifications", "Services__Web", "Auth__Authority"],
        };

        Assert.All(required, variable => Assert.True(
            settings.Environment.ContainsKey(variable) && !string.IsNullOrWhiteSpace(settings.Environment[variable]),
            $"{settings.Where} does not set {variable}"));
        Assert.All(required, variable => Assert.True(Component.Named(part).Reads(variable), $"{part} no longer reads {variable}: update this test"));
    }

    [Fact]
    public async Task The_local_start_runs_every_part_from_its_project_with_each_others_addresses()
    {
        var local = await LocalStart.LoadAsync();

        Assert.Equal(Component.All.Select(c => c.Name).Order(StringComparer.Ordinal), local.Parts.Order(StringComparer.Ordinal));
        foreach (var component in Component.All)
        {
            Assert.Equal(component.ProjectDirectory, local.Fact(component.Name, "dir"));
            Assert.Equal($"{component.AssemblyName}.dll", local.Fact(component.Name, "dll"));
            Assert.Equal($"SHIFTS_{component.Name.ToUpperInvariant()}_PORT", local.Fact(component.Name, "port"));
            Assert.Equal($"http://127.0.0.1:${component.Name.ToUpperInvariant()}_PORT", local.Settings(component.Name).Environment["ASPNETCORE_URLS"]);
        }

        var gateway = local.Settings("gateway");
        foreach (var target in Component.All.Where(c => !c.IsGateway))
        {
            Assert.Equal($"http://127.0.0.1:${target.Name.ToUpperInvariant()}_PORT", gateway.Environment[$"Services__{char.ToUpperInvariant(target.Name[0])}{target.Name[1..]}"]);
        }

        var web = local.Settings("web");
        Assert.Equal("http://127.0.0.1:$GATEWAY_PORT", web.Environment["Web__GatewayAddress"]);
        Assert.StartsWith("$STATE_DIR/", web.Environment["DataProtection__KeyRingPath"], StringComparison.Ordinal);
    }

    internal static async Task<PartSettings> SettingsAsync(string where, string part) => where switch
    {
        "compose" => (await Compose.LoadAsync()).Settings(part),
        "up" => (await LocalStart.LoadAsync()).Settings(part),
        _ => (await Overlay.CachedAsync(where)).Settings(part),
    };

    /// <summary>
    /// Everything every way of starting Shifts sets: `./shifts up`, docker-compose.yml (as written,
    /// before interpolation, so a value built from a variable is not taken for the default), both
    /// overlays, the extras of the bench and the chaos run, and the end-to-end tests' system.
    /// </summary>
    private static async Task<IReadOnlyList<Setting>> AllSettingsAsync()
    {
        var all = new List<Setting>();
        var compose = new Compose(Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Tools.Root, "docker-compose.yml"))));
        var local = await LocalStart.LoadAsync();
        foreach (var component in Component.All)
        {
            foreach (var (where, settings) in new[] { ("up", local.Settings(component.Name)), ("compose", compose.Settings(component.Name)), ("k8s dev", (await Overlay.CachedAsync("dev")).Settings(component.Name)), ("k8s prod", (await Overlay.CachedAsync("prod")).Settings(component.Name)) })
            {
                all.AddRange(settings.Environment.Where(e => !settings.Helpers.Contains(e.Key) && !Component.PlatformVariables.Contains(e.Key))
                    .Select(e => new Setting(where, component.Name, e.Key, e.Value)));
            }
        }

        foreach (var (where, script) in new[] { ("bench", "bench.sh"), ("chaos", "chaos.sh") })
        {
            all.AddRange(ScriptSetting().Matches(await File.ReadAllTextAsync(Path.Combine(Tools.Root, "scripts", script)))
                .Where(m => !Component.PlatformVariables.Contains(m.Groups[1].Value))
                .Select(m => new Setting(where, null, m.Groups[1].Value, m.Groups[2].Value)));
        }

        var system = await File.ReadAllTextAsync(Path.Combine(Tools.Root, "tests", "Shifts.EndToEnd.Tests", "ShiftsSystem.cs"));
        all.AddRange(SystemSetting().Matches(system).Select(m => new Setting("e2e", null, m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal), m.Groups["text"].Success ? m.Groups["text"].Value : null)));
        return all;
    }

    private static string Key(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    private static string ReadBy(string variable)
    {
        var readers = Component.All.Where(c => c.Reads(variable)).ToList();
        return readers.Count == Component.All.Count ? "all"
            : readers.SequenceEqual(Component.Services) ? "services"
            : string.Join(", ", readers.Select(c => c.Name));
    }

    private static string SetBy(IEnumerable<Setting> settings)
    {
        var where = settings.Select(s => s.Where).ToHashSet(StringComparer.Ordinal);
        var (dev, prod) = (where.Remove("k8s dev"), where.Remove("k8s prod"));
        if (dev || prod)
        {
            where.Add(dev && prod ? "k8s" : dev ? "k8s dev" : "k8s prod");
        }

        string[] order = ["up", "compose", "k8s", "k8s dev", "k8s prod", "e2e", "bench", "chaos"];
        return where.Count == 0 ? "–" : string.Join(", ", order.Where(where.Contains));
    }

    private static bool Same(string value, string fallback) =>
        string.Equals(value.TrimEnd('/'), fallback.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        || (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var a) && TimeSpan.TryParse(fallback, CultureInfo.InvariantCulture, out var b) && a == b);

    private static IEnumerable<string> DockerfileVariables(Component component) =>
        DockerEnv().Matches(File.ReadAllText(Path.Combine(Tools.Root, component.Dockerfile)))
            .SelectMany(instruction => VariableAssignment().Matches(instruction.Groups[1].Value).Select(m => m.Groups[1].Value));

    /// <summary>"Smtp__Security=None" in a script: a setting it adds to service_start's.</summary>
    [GeneratedRegex(@"""([A-Za-z][A-Za-z0-9]*__[A-Za-z0-9_]+)=([^""]*)")]
    private static partial Regex ScriptSetting();

    /// <summary>["Smtp:Host"] = servers.SmtpHost or ["Smtp:Security"] = "None" in the test system.</summary>
    [GeneratedRegex(@"\[""([A-Z][A-Za-z0-9]*(?::[A-Za-z0-9]+)+)""\]\s*=\s*(?:""(?<text>[^""]*)""|[^,\n]+)")]
    private static partial Regex SystemSetting();

    /// <summary>ENV instructions, continuation lines included.</summary>
    [GeneratedRegex(@"^ENV ((?:[^\n]*\\\n)*[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex DockerEnv();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex VariableAssignment();
}
