using System.Reflection;
using System.Runtime.CompilerServices;
using Shifts.Contracts;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// Integration events are facts that already happened, shared by services that deploy separately:
/// immutable records in one namespace, named in the past tense.
/// </summary>
public sealed class ContractsTests
{
    /// <summary>Past participles that do not end in "ed". Add one here when an event needs it.</summary>
    private static readonly string[] IrregularPastTense = ["Sent", "Paid", "Held", "Taken", "Given", "Begun", "Done", "Made", "Left", "Set", "Chosen", "Won", "Lost"];

    /// <summary>The contracts assembly's own types, without those the compiler adds (nullable attributes and the like).</summary>
    private static readonly IReadOnlyList<Type> Events = typeof(LoginLinkRequested).Assembly.GetTypes()
        .Where(type => !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        .ToList();

    [Fact]
    public void Contracts_are_records_in_namespace_Shifts_Contracts()
    {
        Assert.Contains(typeof(LoginLinkRequested), Events);

        var problems = Events.Where(type => type.Namespace != "Shifts.Contracts").Select(type => $"{type.FullName} is outside namespace Shifts.Contracts")
            .Concat(Events.Where(type => !IsRecordClass(type)).Select(type => $"{type.FullName} is not a record class"));

        Assert.Empty(problems);
    }

    [Fact]
    public void Contracts_have_past_tense_names()
    {
        var notPastTense = Events.Where(type =>
            !type.Name.EndsWith("ed", StringComparison.Ordinal) &&
            !IrregularPastTense.Any(participle => type.Name.EndsWith(participle, StringComparison.Ordinal)));

        Assert.Empty(notPastTense.Select(type => type.Name));
    }

    [Fact]
    public void Contracts_have_no_public_mutable_state()
    {
        var mutable = Events.SelectMany(type =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(property => property.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
                .Select(property => $"{type.Name}.{property.Name} has a public setter")
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                    .Where(field => !field.IsInitOnly && !field.IsLiteral)
                    .Select(field => $"{type.Name}.{field.Name} is a writable public field")));

        Assert.Empty(mutable);
    }

    /// <summary>A record class has the compiler's clone method (what `with` calls).</summary>
    private static bool IsRecordClass(Type type) =>
        type.IsClass && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
