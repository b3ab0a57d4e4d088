using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>MassTransit 9 and later need a paid licence: the whole solution stays on 8.x.</summary>
public sealed class PackageTests
{
    [Fact]
    public void MassTransit_is_pinned_to_version_8_in_central_package_versions()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props"));
        var versions = props.Descendants()
            .Where(e => e.Name.LocalName == "PackageVersion")
            .Select(e => (Package: e.Attribute("Include")?.Value ?? "", Version: e.Attribute("Version")?.Value ?? ""))
            .Where(p => p.Package.StartsWith("MassTransit", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.NotEmpty(versions);
        Assert.All(versions, p => Assert.True(
            IsExactVersion8(p.Version),
            $"{p.Package} is '{p.Version}': pin an exact 8.x version (9 and later need a paid licence)."));
    }

    [Fact]
    public void No_project_overrides_the_MassTransit_version()
    {
        var overrides = Repository.Projects.SelectMany(project => project.PackageReferences
            .Where(p => p.Name.StartsWith("MassTransit", StringComparison.OrdinalIgnoreCase) && (p.Version ?? p.VersionOverride) is not null)
            .Select(p => $"{project.Name}: {p.Name} {p.Version ?? p.VersionOverride}"));

        Assert.Empty(overrides);
    }

    [Fact]
    public void Services_are_built_with_MassTransit_8()
    {
        // What NuGet actually resolved, which a transitive dependency could have raised.
        var version = Assembly.Load(new AssemblyName("MassTransit")).GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.StartsWith("8.", version, StringComparison.Ordinal);
    }

    /// <summary>"8.5.12" or "[8.5.12]"; a range ("[8.0,)", "8.*") could float to 9.</summary>
    private static bool IsExactVersion8(string version)
    {
        var exact = version.StartsWith('[') && version.EndsWith(']') ? version[1..^1] : version;
        return Version.TryParse(exact, out var parsed) && parsed.Major == 8;
    }
}
