namespace Shifts.Deployment.Tests;

/// <summary>Both overlays render and every object is valid Kubernetes; the compose file parses. Offline.</summary>
public sealed class RenderingTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_object_of_the_overlay_validates_strictly_against_the_Kubernetes_schemas(string overlay)
    {
        var yaml = await Tools.KustomizeAsync(overlay);
        var objects = Yaml.Documents(yaml);

        var result = await Tools.ValidateManifestsAsync(yaml);

        Assert.True(result.ExitCode == 0, $"k8s/overlays/{overlay} has invalid objects:\n{result.Describe()}");
        var valid = result.Output.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal));
        Assert.Equal(objects.Count, valid);
        Assert.All(new[] { "Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress" },
            kind => Assert.Contains(objects, o => o.Text("kind") == kind));
    }

    [Theory]
    [InlineData("readinessProbe:", "readinesProbe:", "unknown field /spec/template/spec/containers/0/readinesProbe")]
    [InlineData("containerPort: 8080", "containerPort: eighty", "containerPort must be integer")]
    [InlineData("  instances: 3", "  instance: 3", "instance")]
    [InlineData("  replicas: 3", "  replicas: 3\n  replica: 3", "replica")]
    public async Task The_validator_refuses_a_misspelt_or_mistyped_field(string correct, string wrong, string named)
    {
        var yaml = await Tools.KustomizeAsync("prod");
        var index = yaml.IndexOf(correct, StringComparison.Ordinal);
        Assert.True(index >= 0, $"the prod overlay no longer contains '{correct}'; pick another field to break");
        var broken = string.Concat(yaml.AsSpan(0, index), wrong, yaml.AsSpan(index + correct.Length));

        var result = await Tools.ValidateManifestsAsync(broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(named, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compose_file_parses_and_has_the_whole_system()
    {
        var compose = await Compose.LoadAsync();

        Assert.Equal(
            new[] { "dashboard", "demo", "events", "gateway", "notifications", "postgres", "rabbitmq", "smtp4dev", "volunteers", "web" },
            compose.ServiceNames.Order(StringComparer.Ordinal));
    }
}
