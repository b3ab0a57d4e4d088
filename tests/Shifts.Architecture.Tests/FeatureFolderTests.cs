using System.Reflection;
using System.Reflection.Emit;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// A service's first-level folders are its features (Shifts.Events.Claims, Shifts.Events.Shifts …).
/// One may use another's types, but never both ways round, directly or through others: a cycle
/// means neither can be read or changed alone. The shared piece belongs to the folder that owns it,
/// or to a small folder named for what it is.
/// </summary>
/// <remarks>
/// Dependencies are read from the compiled assemblies: every type's signatures (base types,
/// fields, properties, method parameters and returns) and every method body's IL, so a type used
/// only inside a lambda or an async method counts too, and names resolve as the compiler resolved them.
/// </remarks>
public sealed class FeatureFolderTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static TheoryData<string> Services => [.. Repository.Services.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Services))]
    public void Feature_folders_do_not_depend_on_each_other_in_a_cycle(string service)
    {
        var evidence = new Dictionary<(string From, string To), string>();
        var graph = FolderDependencies(Assembly.Load(new AssemblyName(service)), service, evidence);
        Assert.NotEmpty(graph);

        var cycles = Cycles(graph).ToList();

        Assert.True(cycles.Count == 0, $"{service}'s feature folders depend on each other in a cycle:\n" + string.Join("\n", cycles.Select(cycle =>
            string.Join(" → ", cycle.Append(cycle[0])) + "\n" + string.Join("\n", cycle.Select((from, i) => "    " + evidence[(from, cycle[(i + 1) % cycle.Count])])))));
    }

    [Fact]
    public void Dependencies_are_found_in_method_bodies_and_signatures()
    {
        // Guards the reader above from passing because it saw nothing: the events service's
        // features do use each other (one way round), and that must be seen.
        var graph = FolderDependencies(Assembly.Load(new AssemblyName("Shifts.Events")), "Shifts.Events");
        Assert.True(graph.Values.Sum(targets => targets.Count) > 0, "no dependency between feature folders was found at all");
    }

    /// <summary>Feature folder → the feature folders its types use.</summary>
    /// <param name="evidence">Filled with one example per dependency: which type uses which.</param>
    internal static Dictionary<string, HashSet<string>> FolderDependencies(Assembly assembly, string rootNamespace, Dictionary<(string From, string To), string>? evidence = null)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, rootNamespace) is not { } from)
                continue;
            var targets = graph.TryGetValue(from, out var known) ? known : graph[from] = [];
            foreach (var used in UsedTypes(type))
                if (FolderOf(used, rootNamespace) is { } to && to != from && targets.Add(to))
                    evidence?.TryAdd((from, to), $"{type.FullName} uses {used.FullName ?? used.Name}");
        }
        return graph;
    }

    private static string? FolderOf(Type type, string rootNamespace)
    {
        while (type.HasElementType)
            type = type.GetElementType()!;
        if (type.IsGenericParameter || type.Namespace is not { } ns || !ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            return null;
        var rest = ns[(rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var used = new List<Type>();
        if (type.BaseType is { } baseType)
            used.Add(baseType);
        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetFields(Everything).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(Everything).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
                used.Add(info.ReturnType);
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            used.AddRange(TypesInBody(method));
        }
        return used.SelectMany(WithTypeArguments);
    }

    private static IEnumerable<Type> WithTypeArguments(Type type)
    {
        yield return type;
        if (type.HasElementType)
            foreach (var inner in WithTypeArguments(type.GetElementType()!))
                yield return inner;
        if (type.IsConstructedGenericType)
            foreach (var inner in type.GetGenericArguments().SelectMany(WithTypeArguments))
                yield return inner;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The declaring types of the types, methods and fields the IL names (a minimal IL walk).</summary>
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
                value = unchecked((short)(0xFE00 | il[position++]));
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    if (Resolve(method.Module, token, typeArguments, methodArguments) is { } type)
                        yield return type;
                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + 4 * BitConverter.ToInt32(il, position);
                    break;
                default:
                    position += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static Type? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments) switch
            {
                Type type => type,
                FieldInfo field => field.DeclaringType,
                MethodBase called => called.DeclaringType,
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null; // a member of a generic type the open context cannot resolve: its own signature is read above
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>Each cycle once, as the folders in order, starting from the alphabetically first.</summary>
    internal static IEnumerable<IReadOnlyList<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var found = new HashSet<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var path = new List<string> { start };
            foreach (var cycle in Walk(start, path))
            {
                var key = string.Join(">", cycle);
                if (found.Add(key))
                    yield return cycle;
            }
        }

        // Simple cycles through start, visiting only folders after start, so each is found once from its first folder.
        IEnumerable<IReadOnlyList<string>> Walk(string start, List<string> path)
        {
            foreach (var next in graph.GetValueOrDefault(path[^1], []).Order(StringComparer.Ordinal))
            {
                if (next == start)
                    yield return path.ToList();
                else if (string.CompareOrdinal(next, start) > 0 && !path.Contains(next))
                {
                    path.Add(next);
                    foreach (var cycle in Walk(start, path))
                        yield return cycle;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
    }
}
