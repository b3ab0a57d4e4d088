using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Shifts.Deployment.Tests;

/// <summary>
/// docker-compose.yml, the Dockerfiles and both overlays fit together and fit the code: images,
/// ports, probe paths, addresses, network policies, the key ring, the start order. A moved port
/// fails here, not in somebody's cluster. Which settings each part gets is SettingsTests'.
/// </summary>
public sealed partial class ConsistencyTests
{
    private const string Port = "8080";

    public static TheoryData<string, string> Deployments()
    {
        var data = new TheoryData<string, string>();
        foreach (var where in new[] { "compose", "dev", "prod" })
        {
            foreach (var component in Component.All)
            {
                data.Add(where, component.Name);
            }
        }

        return data;
    }

    public static TheoryData<string> Parts() => new(Component.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task Addresses_name_the_part_they_mean_on_its_port(string where, string part)
    {
        var settings = await SettingsTests.SettingsAsync(where, part);
        var overlay = where == "compose" ? null : await OverlayAsync(where);
        var compose = where == "compose" ? await Compose.LoadAsync() : null;

        void ExpectAddressOf(string variable, string target)
        {
            var uri = new Uri(settings.Environment[variable]!);
            Assert.Equal(Port, uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (compose is not null)
            {
                Assert.Equal(target, uri.Host);
                Assert.Equal(Component.Named(target).Dockerfile, compose.Service(uri.Host)["build"].Text("dockerfile"));
            }
            else
            {
                var service = overlay!.Find("Service", uri.Host);
                Assert.Equal(target, service.Text("spec", "selector", "app.kubernetes.io/name"));
                Assert.Contains(service.Objects("spec", "ports"), p => p.Text("port") == Port && p.Text("targetPort") == "http");
            }
        }

        if (part == "gateway")
        {
            ExpectAddressOf("Services__Volunteers", "volunteers");
            ExpectAddressOf("Services__Events", "events");
            ExpectAddressOf("Services__Notifications", "notifications");
            ExpectAddressOf("Services__Web", "web");
        }

        if (part == "web")
        {
            // The web app calls the API where every client does: the gateway, never a service.
            ExpectAddressOf("Web__GatewayAddress", "gateway");
        }

        if (part is not ("volunteers" or "web"))
        {
            ExpectAddressOf("Auth__Authority", "volunteers");
        }

        if (Component.Named(part).IsService)
        {
            // The database is the part's own, and the host is the PostgreSQL this deployment runs.
            var connection = where == "compose" ? settings.Environment["ConnectionStrings__Database"]! : Overlay.Expand(settings, settings.Environment["ConnectionStrings__Database"]!);
            var values = connection.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            Assert.Equal(part, values["Database"]);
            var broker = new Uri(where == "compose" ? settings.Environment["RabbitMq__Uri"]! : Overlay.Expand(settings, settings.Environment["RabbitMq__Uri"]!)
                .Replace("<secret SHIFTS_RABBITMQ_USERNAME>:<secret SHIFTS_RABBITMQ_PASSWORD>", "user:password", StringComparison.Ordinal));
            Assert.Equal(5672, broker.Port);
            switch (where)
            {
                case "compose":
                    Assert.Equal("postgres", values["Host"]);
                    Assert.Equal("rabbitmq", broker.Host);
                    Assert.NotNull(compose!.Service("postgres"));
                    break;
                case "dev":
                    Assert.Equal("postgres", overlay!.Find("Service", values["Host"]).Text("spec", "selector", "app.kubernetes.io/name"));
                    Assert.Equal("rabbitmq", overlay.Find("Service", broker.Host).Text("spec", "selector", "app.kubernetes.io/name"));
                    break;
                default:
                    // CloudNativePG serves the primary as <cluster>-rw; the RabbitMQ operator names its Service after the cluster.
                    Assert.Equal(overlay!.OfKind("Cluster").Single().Text("metadata", "name") + "-rw", values["Host"]);
                    Assert.Equal(overlay.OfKind("RabbitmqCluster").Single().Text("metadata", "name"), broker.Host);
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public async Task Images_ports_and_probes_agree_with_the_Dockerfile_and_the_code(string part)
    {
        var component = Component.Named(part);
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Tools.Root, component.Dockerfile));
        var probePaths = HealthEndpointsInCode();

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {Port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={Port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{component.AssemblyName}.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {component.Project}", dockerfile, StringComparison.Ordinal);
        var healthCheck = HealthCheckPath().Match(dockerfile);
        Assert.True(healthCheck.Success, $"{component.Dockerfile} has no HEALTHCHECK on 127.0.0.1:{Port}");
        Assert.Contains(healthCheck.Groups[1].Value, probePaths);
        Assert.DoesNotMatch(SecretLooking(), dockerfile);

        var compose = await Compose.LoadAsync();
        var service = compose.Service(part);
        Assert.Equal(component.Dockerfile, service["build"].Text("dockerfile"));
        Assert.StartsWith($"shifts/{part}:", service.Text("image"), StringComparison.Ordinal);

        foreach (var overlay in new[] { await OverlayAsync("dev"), await OverlayAsync("prod") })
        {
            var container = overlay.Container(part);
            Assert.Matches($"(^|/)shifts/{part}:[^/]+$", container.Text("image"));
            Assert.Contains(container.Objects("ports"), p => p.Text("name") == "http" && p.Text("containerPort") == Port);
            Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/live", container.Text("startupProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
            Assert.All(new[] { "livenessProbe", "startupProbe", "readinessProbe" }, probe =>
            {
                Assert.Contains(container.Text(probe, "httpGet", "path") ?? "", probePaths);
                Assert.Equal("http", container.Text(probe, "httpGet", "port"));
            });
            Assert.NotNull(container.Text("resources", "requests", "cpu"));
            Assert.NotNull(container.Text("resources", "limits", "memory"));
            Assert.Equal(part, overlay.Find("HorizontalPodAutoscaler", part).Text("spec", "scaleTargetRef", "name"));
            Assert.Equal(part, overlay.Find("PodDisruptionBudget", part).Text("spec", "selector", "matchLabels", "app.kubernetes.io/name"));
        }
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public async Task Each_Dockerfile_copies_every_project_its_part_is_built_from(string part)
    {
        var component = Component.Named(part);
        var copied = CopySource().Matches(await File.ReadAllTextAsync(Path.Combine(Tools.Root, component.Dockerfile)))
            .Select(m => m.Groups[1].Value.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(component.ProjectClosure(), folder => Assert.True(copied.Contains(folder), $"{component.Dockerfile} does not copy {folder}/"));
    }

    [Fact]
    public async Task Scaling_is_single_in_dev_and_at_least_two_of_everything_in_prod()
    {
        var dev = await OverlayAsync("dev");
        var prod = await OverlayAsync("prod");

        foreach (var component in Component.All)
        {
            Assert.Equal("1", dev.Find("Deployment", component.Name).Text("spec", "replicas"));
            Assert.Equal("1", dev.Find("HorizontalPodAutoscaler", component.Name).Text("spec", "maxReplicas"));
            Assert.True(int.Parse(prod.Find("Deployment", component.Name).Text("spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
            Assert.True(int.Parse(prod.Find("HorizontalPodAutoscaler", component.Name).Text("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
            Assert.Equal("1", prod.Find("PodDisruptionBudget", component.Name).Text("spec", "minAvailable"));
        }

        Assert.Equal("3", prod.OfKind("RabbitmqCluster").Single().Text("spec", "replicas"));
        Assert.Contains("default_queue_type = quorum", prod.OfKind("RabbitmqCluster").Single().Text("spec", "rabbitmq", "additionalConfig"), StringComparison.Ordinal);
        Assert.True(int.Parse(prod.OfKind("Cluster").Single().Text("spec", "instances")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.All(Component.All, part =>
            Assert.Equal("http://otel-collector.observability:4317", prod.Settings(part.Name).Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
    }

    [Fact]
    public async Task Only_the_services_reach_PostgreSQL_and_RabbitMQ_and_only_the_gateway_is_open()
    {
        foreach (var overlay in new[] { await OverlayAsync("dev"), await OverlayAsync("prod") })
        {
            var policies = overlay.OfKind("NetworkPolicy").ToList();
            var denyAll = Assert.Single(policies, p => p.Text("metadata", "name") == "default-deny-ingress");
            Assert.Empty((JsonObject)denyAll["spec"]!["podSelector"]!);

            foreach (var (store, port) in new[] { ("postgres", "5432"), ("rabbitmq", "5672") })
            {
                var policy = Assert.Single(policies, p => p.Text("spec", "podSelector", "matchLabels", "shifts.io/store") == store);
                var rule = Assert.Single(policy.Objects("spec", "ingress"));
                Assert.Equal("service", Assert.Single(rule.Objects("from")).Text("podSelector", "matchLabels", "app.kubernetes.io/component"));
                Assert.Equal(port, Assert.Single(rule.Objects("ports")).Text("port"));
                // The store's pods carry the label the policy selects.
                var labelled = overlay.Objects.Where(o => o.Text("spec", "template", "metadata", "labels", "shifts.io/store") == store
                    || o.Text("spec", "inheritedMetadata", "labels", "shifts.io/store") == store
                    || o.Text("spec", "override", "statefulSet", "spec", "template", "metadata", "labels", "shifts.io/store") == store);
                Assert.NotEmpty(labelled);
            }

            // Nothing but the gateway (and the services among themselves) is let in from elsewhere.
            var openToAll = policies.Where(p => p.Objects("spec", "ingress").Any(rule => rule["from"] is null)).ToList();
            Assert.Equal("gateway", Assert.Single(openToAll).Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/component"));
        }
    }

    [Fact]
    public async Task The_web_app_is_reached_only_from_the_gateway_and_reaches_only_the_gateway()
    {
        foreach (var overlay in new[] { await OverlayAsync("dev"), await OverlayAsync("prod") })
        {
            var policies = overlay.OfKind("NetworkPolicy").ToList();
            var labels = overlay.Find("Deployment", "web")["spec"]!["template"]!["metadata"]!["labels"]!;
            bool SelectsWeb(JsonObject policy) => policy["spec"]!["podSelector"]!["matchLabels"] is JsonObject match
                && match.All(pair => labels[pair.Key]?.GetValue<string>() == pair.Value?.GetValue<string>());
            IEnumerable<JsonObject> Typed(string type) => policies.Where(p => SelectsWeb(p) && p["spec"]!["policyTypes"]!.AsArray().Any(t => t!.GetValue<string>() == type));

            // Not a "service": the stores' policies let no web pod in.
            Assert.Equal("web", labels.Text("app.kubernetes.io/component"));

            // In: from the gateway's pods, on the web app's port, nothing else.
            var ingress = Assert.Single(Typed("Ingress").SelectMany(p => p.Objects("spec", "ingress")));
            Assert.Equal("gateway", Assert.Single(ingress.Objects("from")).Text("podSelector", "matchLabels", "app.kubernetes.io/component"));
            Assert.Equal(Port, Assert.Single(ingress.Objects("ports")).Text("port"));

            // Out: to the gateway's pods on 8080, to DNS, and in prod to the telemetry collector.
            var egress = Typed("Egress").SelectMany(p => p.Objects("spec", "egress")).ToList();
            Assert.NotEmpty(egress);
            Assert.All(egress, rule =>
            {
                var ports = rule.Objects("ports").Select(p => $"{p.Text("port")}/{p.Text("protocol")}").Order(StringComparer.Ordinal).ToList();
                var to = rule.Objects("to").ToList();
                if (to.Count == 0)
                {
                    Assert.Equal(["53/TCP", "53/UDP"], ports);
                }
                else if (to.Single().Text("podSelector", "matchLabels", "app.kubernetes.io/component") == "gateway")
                {
                    Assert.Equal([$"{Port}/TCP"], ports);
                    Assert.Null(to.Single()["namespaceSelector"]);
                }
                else
                {
                    Assert.Equal("prod", overlay.Name);
                    Assert.Equal("observability", to.Single().Text("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"));
                    Assert.Equal(new Uri(overlay.Settings("web").Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/TCP", Assert.Single(ports));
                }
            });
            Assert.Contains(egress, rule => rule.Objects("to").Any(t => t.Text("podSelector", "matchLabels", "app.kubernetes.io/component") == "gateway"));

            // The gateway itself may send to the web app: it has no egress policy, or one that allows it.
            var gatewayEgress = policies.Where(p => p.Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/component") == "gateway"
                && p["spec"]!["policyTypes"]!.AsArray().Any(t => t!.GetValue<string>() == "Egress")).ToList();
            Assert.True(gatewayEgress.Count == 0 || gatewayEgress.SelectMany(p => p.Objects("spec", "egress")).Any(rule =>
                rule.Objects("to").Any(t => t.Text("podSelector", "matchLabels", "app.kubernetes.io/component") == "web")),
                $"overlay {overlay.Name}: the gateway's egress policies do not let it reach the web app");
        }
    }

    [Fact]
    public async Task The_web_apps_key_ring_is_one_read_only_Secret_in_Kubernetes_and_a_writable_volume_in_compose()
    {
        foreach (var overlay in new[] { await OverlayAsync("dev"), await OverlayAsync("prod") })
        {
            var settings = overlay.Settings("web");
            var pod = overlay.Find("Deployment", "web")["spec"]!["template"]!["spec"]!;
            var mount = Assert.Single(overlay.Container("web").Objects("volumeMounts"), m => m.Text("mountPath") == settings.Environment["DataProtection__KeyRingPath"]);
            Assert.Equal("true", mount.Text("readOnly"));
            Assert.Equal("true", settings.Environment["DataProtection__ReadOnly"]);
            var volume = Assert.Single(pod.Objects("volumes"), v => v.Text("name") == mount.Text("name"));
            Assert.Equal("shifts-web-keyring", volume.Text("secret", "secretName"));
            // A missing Secret must stop the pod from starting: an empty ring would serve errors.
            Assert.NotEqual("true", volume.Text("secret", "optional"));
            // The key material is created by whoever deploys, never generated or committed here.
            Assert.DoesNotContain(overlay.OfKind("Secret"), s => s.Text("metadata", "name") == "shifts-web-keyring");
        }

        var committedKeys = Directory.EnumerateFiles(Tools.Root, "*.xml", SearchOption.AllDirectories)
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git" or ".local"))
            .Where(file => File.ReadAllText(file).Contains("<key id=", StringComparison.Ordinal));
        Assert.Empty(committedKeys);

        // Compose: one replica writes the key onto a named volume that outlives the container, in the
        // folder the image prepares for the app user (a fresh volume takes that folder's owner).
        var compose = await Compose.LoadAsync();
        var web = compose.Settings("web");
        var folder = web.Environment["DataProtection__KeyRingPath"]!;
        var (source, _) = Assert.Single(compose.Volumes("web"), v => v.Target == folder);
        Assert.DoesNotContain('/', source);
        Assert.NotEqual("true", web.Environment.GetValueOrDefault("DataProtection__ReadOnly"));
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Tools.Root, Component.Named("web").Dockerfile));
        Assert.Contains($"RUN mkdir {folder} && chown \"$APP_UID:$APP_UID\" {folder}", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gateway_in_compose_believes_forwarded_addresses_from_the_web_app_alone()
    {
        var compose = await Compose.LoadAsync();
        var address = compose.Service("web")["networks"].Text("default", "ipv4_address");

        // The web app passes on the browser's address when it calls the API (rate limits count it);
        // the gateway, whose port is published, trusts exactly that container.
        Assert.NotNull(address);
        Assert.Equal(address, compose.Settings("gateway").Environment["Network__TrustedProxies"]);
        var subnet = System.Net.IPNetwork.Parse(compose.Settings("web").Environment["Network__TrustedProxies"]!);
        Assert.True(subnet.Contains(System.Net.IPAddress.Parse(address!)), $"{address} lies outside the compose network {subnet}");
    }

    [Fact]
    public async Task The_databases_created_at_first_start_are_the_ones_the_services_use()
    {
        var services = Component.Services.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var composeScript = await File.ReadAllTextAsync(Path.Combine(Tools.Root, "docker", "postgres", "init-databases.sql"));
        var devScript = await File.ReadAllTextAsync(Path.Combine(Tools.Root, "k8s", "overlays", "dev", "postgres", "init-databases.sql"));

        Assert.Equal(composeScript, devScript);
        Assert.Equal(services, CreateDatabase().Matches(composeScript).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));

        var initdb = (await OverlayAsync("prod")).OfKind("Cluster").Single()["spec"]!["bootstrap"]!["initdb"]!;
        var created = initdb["postInitSQL"]!.AsArray().Select(s => CreateDatabase().Match(s!.GetValue<string>()).Groups[1].Value)
            .Append(initdb.Text("database")!);
        Assert.Equal(services, created.Order(StringComparer.Ordinal));

        var compose = await Compose.LoadAsync();
        Assert.Contains(compose.Volumes("postgres"), v =>
            v.Target == "/docker-entrypoint-initdb.d/10-init-databases.sql"
            && Path.GetFullPath(v.Source, Tools.Root) == Path.Combine(Tools.Root, "docker", "postgres", "init-databases.sql"));
    }

    [Fact]
    public async Task Links_in_mails_and_calendar_feeds_point_where_the_system_is_reached()
    {
        foreach (var overlay in new[] { await OverlayAsync("dev"), await OverlayAsync("prod") })
        {
            var host = overlay.Find("Ingress", "gateway").Objects("spec", "rules").Single().Text("host");
            foreach (var part in new[] { "volunteers", "events", "notifications" })
            {
                Assert.Equal(host, new Uri(overlay.Settings(part).Environment["Shifts__PublicBaseUrl"]!).Host);
            }
        }

        var compose = await Compose.LoadAsync();
        var published = Assert.Single(compose.Service("gateway").Objects("ports"));
        Assert.Equal(Port, published.Text("target"));
        foreach (var part in new[] { "volunteers", "events", "notifications" })
        {
            Assert.Equal($"http://localhost:{published.Text("published")}", compose.Settings(part).Environment["Shifts__PublicBaseUrl"]);
        }
    }

    [Fact]
    public async Task Compose_and_the_dev_overlay_run_the_same_third_party_images()
    {
        var compose = await Compose.LoadAsync();
        var dev = await OverlayAsync("dev");
        var prod = await OverlayAsync("prod");

        string StatefulImage(string name) => dev.Find("StatefulSet", name).Objects("spec", "template", "spec", "containers").First().Text("image")!;
        Assert.Equal(compose.Service("postgres").Text("image"), StatefulImage("postgres"));
        Assert.Equal(compose.Service("rabbitmq").Text("image"), StatefulImage("rabbitmq"));
        Assert.Equal(compose.Service("rabbitmq").Text("image"), prod.OfKind("RabbitmqCluster").Single().Text("spec", "image"));
        Assert.Equal(compose.Service("smtp4dev").Text("image"), dev.Container("smtp4dev").Text("image"));
    }

    [Fact]
    public async Task Compose_starts_in_order_and_loads_the_demo_on_request()
    {
        var compose = await Compose.LoadAsync();

        foreach (var part in new[] { "volunteers", "events", "notifications" })
        {
            Assert.Equal("service_healthy", compose.Service(part)["depends_on"].Text("postgres", "condition"));
            Assert.Equal("service_healthy", compose.Service(part)["depends_on"].Text("rabbitmq", "condition"));
        }

        Assert.All(new[] { "volunteers", "events", "notifications", "web" }, part =>
            Assert.Equal("service_healthy", compose.Service("gateway")["depends_on"].Text(part, "condition")));
        // The gateway routes pages to the web app and the web app calls the API through the gateway:
        // only one of them may wait for the other, and docker-compose refuses any cycle.
        Assert.Null(compose.Service("web")["depends_on"]?["gateway"]);
        AssertNoStartCycle(compose);
        Assert.NotNull(compose.Service("postgres")["healthcheck"]);
        Assert.NotNull(compose.Service("rabbitmq")["healthcheck"]);

        var demo = compose.Service("demo");
        Assert.Equal("demo", demo["profiles"].Text("0"));
        Assert.Equal(["load", "--gateway", "http://gateway:8080", "--inbox", "http://smtp4dev:80"], demo["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(compose.Service("smtp4dev").Objects("ports"), p => p.Text("target") == "80");
        var dockerfile = demo["build"].Text("dockerfile")!;
        Assert.Equal("demo/Shifts.Demo/Dockerfile", dockerfile);
        var text = await File.ReadAllTextAsync(Path.Combine(Tools.Root, dockerfile));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Shifts.Demo.dll\"]", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Tools.Root, "demo", "Shifts.Demo", "Shifts.Demo.csproj")));
        Assert.Contains("dotnet publish demo/Shifts.Demo/Shifts.Demo.csproj", text, StringComparison.Ordinal);

        // The loader logs in as the platform admin the volunteers service creates.
        Assert.Equal(compose.Service("volunteers")["environment"].Text("Shifts__Bootstrap__AdminEmail"), demo["environment"].Text("SHIFTS_ADMIN_EMAIL"));
    }

    private static void AssertNoStartCycle(Compose compose)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        void Visit(string name, List<string> path)
        {
            if (state.TryGetValue(name, out var done))
            {
                Assert.True(done, $"docker-compose.yml: start cycle {string.Join(" -> ", path.Append(name))}");
                return;
            }

            state[name] = false;
            foreach (var (dependency, _) in compose.Service(name)["depends_on"] as JsonObject ?? [])
            {
                Visit(dependency, [.. path, name]);
            }

            state[name] = true;
        }

        foreach (var name in compose.ServiceNames)
        {
            Visit(name, []);
        }
    }

    private static Task<Overlay> OverlayAsync(string name) => Overlay.CachedAsync(name);

    /// <summary>The health endpoints every part maps (Shifts.ServiceDefaults/Health.cs).</summary>
    private static IReadOnlySet<string> HealthEndpointsInCode()
    {
        var code = File.ReadAllText(Path.Combine(Tools.Root, "services", "BuildingBlocks", "Shifts.ServiceDefaults", "Health.cs"));
        var paths = MappedHealthCheck().Matches(code).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(new HashSet<string>(["/health/live", "/health/ready"]), paths);
        return paths;
    }

    [GeneratedRegex(@"curl -fsS http://127\.0\.0\.1:8080(/[a-z/]+)")]
    private static partial Regex HealthCheckPath();

    [GeneratedRegex(@"(?i)(password|secret|signingkey|apikey)\s*=")]
    private static partial Regex SecretLooking();

    [GeneratedRegex(@"^COPY (?!--from)(\S+/) \1$", RegexOptions.Multiline)]
    private static partial Regex CopySource();

    [GeneratedRegex(@"CREATE DATABASE (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateDatabase();

    [GeneratedRegex("MapHealthChecks\\(\"([^\"]+)\"")]
    private static partial Regex MappedHealthCheck();
}
