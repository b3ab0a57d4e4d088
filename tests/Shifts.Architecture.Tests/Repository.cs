using System.Reflection;
using System.Xml.Linq;

namespace Shifts.Architecture.Tests;

/// <summary>A project of the solution as its .csproj file declares it.</summary>
public sealed record Project(string Name, string File, IReadOnlyList<string> ProjectReferences, IReadOnlyList<PackageReference> PackageReferences, IReadOnlyList<string> FrameworkReferences)
{
    public string Directory => Path.GetDirectoryName(File)!;

    public Assembly LoadAssembly() => Assembly.Load(new AssemblyName(Name));
}

/// <param name="BuildOnly">PrivateAssets="all": an analyzer or build tool, not a dependency of the built assembly.</param>
public sealed record PackageReference(string Name, string? Version, string? VersionOverride, bool BuildOnly);

/// <summary>The repository on disk: its projects by role, read from the .csproj files.</summary>
public static class Repository
{
    public static readonly string Root = FindRoot();

    private static readonly Lazy<IReadOnlyList<Project>> AllProjects = new(() =>
        System.IO.Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .Select(Read)
            .ToList());

    public static IReadOnlyList<Project> Projects => AllProjects.Value;

    /// <summary>The services: every project under services/ except the building blocks.</summary>
    public static IReadOnlyList<Project> Services => Projects
        .Where(p => IsUnder(p, "services") && !IsUnder(p, "services", "BuildingBlocks"))
        .ToList();

    public static IReadOnlyList<Project> BuildingBlocks => Projects.Where(p => IsUnder(p, "services", "BuildingBlocks")).ToList();

    public static Project Gateway => Projects.Single(p => p.Name == "Shifts.Gateway");

    /// <summary>The web app (web/Shifts.Web): a client of the public API, like a browser.</summary>
    public static Project Web => Projects.Single(p => p.Name == "Shifts.Web");

    public static Project Contracts => Projects.Single(p => p.Name == "Shifts.Contracts");

    public static Project Named(string name) => Projects.Single(p => p.Name == name);

    /// <summary>Every project reachable through project references, the project itself excluded.</summary>
    public static IReadOnlyList<Project> ReachableFrom(Project project)
    {
        var byFile = Projects.ToDictionary(p => p.File, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(project.ProjectReferences);
        while (pending.TryPop(out var file))
        {
            if (seen.Add(file) && byFile.TryGetValue(file, out var referenced))
            {
                foreach (var next in referenced.ProjectReferences)
                {
                    pending.Push(next);
                }
            }
        }

        return seen.Select(file => byFile.TryGetValue(file, out var p) ? p : new Project(Path.GetFileNameWithoutExtension(file), file, [], [], [])).ToList();
    }

    /// <summary>The Directory.Build.props/targets files MSBuild may import into the project.</summary>
    public static IReadOnlyList<string> SharedBuildFiles(Project project)
    {
        var files = new List<string>();
        for (var directory = new DirectoryInfo(project.Directory); directory is not null; directory = directory.Parent)
        {
            files.AddRange(new[] { "Directory.Build.props", "Directory.Build.targets" }
                .Select(name => Path.Combine(directory.FullName, name))
                .Where(File.Exists));
            if (string.Equals(directory.FullName.TrimEnd(Path.DirectorySeparatorChar), Root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                break;
            }
        }

        return files;
    }

    public static Project Read(string file)
    {
        var document = XDocument.Load(file);
        var directory = Path.GetDirectoryName(file)!;
        IEnumerable<XElement> Items(string name) => document.Descendants().Where(e => e.Name.LocalName == name);
        static string? Value(XElement item, string name) =>
            item.Attribute(name)?.Value ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        return new Project(
            Path.GetFileNameWithoutExtension(file),
            Path.GetFullPath(file),
            Items("ProjectReference")
                .Select(item => Path.GetFullPath(Path.Combine(directory, item.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))))
                .ToList(),
            Items("PackageReference")
                .Select(item => new PackageReference(
                    item.Attribute("Include")?.Value ?? item.Attribute("Update")?.Value ?? "",
                    Value(item, "Version"),
                    Value(item, "VersionOverride"),
                    string.Equals(Value(item, "PrivateAssets"), "all", StringComparison.OrdinalIgnoreCase)))
                .ToList(),
            Items("FrameworkReference").Select(item => item.Attribute("Include")!.Value).ToList());
    }

    private static bool IsUnder(Project project, params string[] folders)
    {
        var relative = Path.GetRelativePath(Root, project.File).Split(Path.DirectorySeparatorChar);
        return relative.Length > folders.Length && folders.Select((folder, i) => relative[i] == folder).All(same => same);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shifts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Shifts.sln above {AppContext.BaseDirectory}: the architecture tests read the repository's project files.");
    }
}
