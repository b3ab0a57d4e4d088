using Shifts.Contracts;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// Services deploy separately and talk only through integration events, so no service may build
/// against another's code, and the contracts every service shares may not drag anything along.
/// </summary>
public sealed class DependencyTests
{
    private static readonly string FrameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    public static TheoryData<string> Services => [.. Repository.Services.Select(p => p.Name)];

    public static TheoryData<string> BuildingBlocks => [.. Repository.BuildingBlocks.Select(p => p.Name)];

    [Fact]
    public void Rules_cover_every_service_the_gateway_and_the_web_app()
    {
        // Services are found by folder; this keeps the rules below from passing because they found nothing.
        Assert.Superset(
            new HashSet<string> { "Shifts.Volunteers", "Shifts.Events", "Shifts.Notifications" },
            Repository.Services.Select(p => p.Name).ToHashSet());

        // A new service must be referenced here, or its assembly is not built for these tests to read.
        var ours = Repository.Named("Shifts.Architecture.Tests").ProjectReferences.ToHashSet();
        var missing = Repository.Services.Append(Repository.Gateway).Append(Repository.Web).Where(p => !ours.Contains(p.File)).Select(p => p.Name);
        Assert.Empty(missing);
    }

    [Fact]
    public void Contracts_project_references_no_package_and_no_project()
    {
        var contracts = Repository.Contracts;
        Assert.Empty(contracts.ProjectReferences);
        Assert.Empty(contracts.PackageReferences);
        Assert.Empty(contracts.FrameworkReferences);

        // Nor may a Directory.Build file add one to every project (build-only analyzers aside).
        foreach (var shared in Repository.SharedBuildFiles(contracts).Select(Repository.Read))
        {
            Assert.Empty(shared.ProjectReferences);
            Assert.Empty(shared.FrameworkReferences);
            Assert.DoesNotContain(shared.PackageReferences, p => !p.BuildOnly);
        }
    }

    [Fact]
    public void Contracts_assembly_references_only_the_framework()
    {
        var outside = typeof(LoginLinkRequested).Assembly.GetReferencedAssemblies()
            .Where(name => !IsFramework(name))
            .Select(name => name.Name);

        Assert.Empty(outside);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_depends_on_no_other_service(string service)
    {
        var project = Repository.Named(service);
        var others = Repository.Services.Where(p => p.Name != service).Select(p => p.Name).ToHashSet();

        // Directly or through a building block, in the project files and in the built assembly.
        Assert.DoesNotContain(Repository.ReachableFrom(project).Select(p => p.Name), others.Contains);
        Assert.DoesNotContain(project.LoadAssembly().GetReferencedAssemblies().Select(a => a.Name!), others.Contains);
    }

    [Fact]
    public void Gateway_depends_on_no_service()
    {
        var services = Repository.Services.Select(p => p.Name).ToHashSet();

        Assert.DoesNotContain(Repository.ReachableFrom(Repository.Gateway).Select(p => p.Name), services.Contains);
        Assert.DoesNotContain(Repository.Gateway.LoadAssembly().GetReferencedAssemblies().Select(a => a.Name!), services.Contains);
    }

    [Fact]
    public void Web_app_builds_on_ServiceDefaults_alone()
    {
        // It speaks the public API through the gateway, as any client does: no service's code, no
        // contracts, no messaging, nothing that would let it reach around the gateway.
        Assert.Equal(["Shifts.ServiceDefaults"], Repository.ReachableFrom(Repository.Web).Select(p => p.Name));

        var ours = Repository.Projects.Select(p => p.Name).ToHashSet();
        var referenced = Repository.Web.LoadAssembly().GetReferencedAssemblies().Select(a => a.Name!).Where(ours.Contains);
        Assert.All(referenced, name => Assert.Equal("Shifts.ServiceDefaults", name));
    }

    [Fact]
    public void Nothing_builds_against_the_web_app()
    {
        var dependents = Repository.Projects
            .Where(p => !p.Name.EndsWith(".Tests", StringComparison.Ordinal) && p.Name != "Shifts.Web")
            .Where(p => Repository.ReachableFrom(p).Any(r => r.Name == "Shifts.Web"))
            .Select(p => p.Name);

        Assert.Empty(dependents);
    }

    [Theory]
    [MemberData(nameof(BuildingBlocks))]
    public void Building_block_depends_on_no_service(string block)
    {
        var services = Repository.Services.Select(p => p.Name).ToHashSet();

        Assert.DoesNotContain(Repository.ReachableFrom(Repository.Named(block)).Select(p => p.Name), services.Contains);
    }

    private static bool IsFramework(System.Reflection.AssemblyName name)
    {
        var location = System.Reflection.Assembly.Load(name).Location;
        return string.Equals(Path.GetDirectoryName(location), FrameworkDirectory, StringComparison.Ordinal);
    }
}
