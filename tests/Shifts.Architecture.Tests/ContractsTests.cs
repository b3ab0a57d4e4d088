using System.Reflection;
using System.Runtime.CompilerServices;
using Shifts.Contracts;
using Xunit;

namespace Shifts.Architecture.Tests;

/// <summary>
/// Integration events are facts that already happened, shared by services that deploy separately:
/// immutable records in one namespace, named in the past tense (the records they carry, such as
/// ShiftDetails, are named for what they describe).
/// </summary>
public sealed class ContractsTests
{
    /// <summary>Past participles that do not end in "ed". Add one here when an event needs it.</summary>
    private static readonly string[] IrregularPastTense = ["Sent", "Paid", "Held", "Taken", "Given", "Begun", "Done", "Made", "Left", "Set", "Chosen", "Won", "Lost"];

    /// <summary>The contracts assembly's own types, without those the compiler adds (nullable attributes and the like).</summary>
    private static readonly IReadOnlyList<Type> ContractTypes = typeof(LoginLinkRequested).Assembly.GetTypes()
        .Where(type => !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        .ToList();

    [Fact]
    public void Contracts_are_records_in_namespace_Shifts_Contracts()
    {
        Assert.Contains(typeof(LoginLinkRequested), ContractTypes);

        var problems = ContractTypes.Where(type => type.Namespace != "Shifts.Contracts").Select(type => $"{type.FullName} is outside namespace Shifts.Contracts")
            .Concat(ContractTypes.Where(type => !IsRecordClass(type)).Select(type => $"{type.FullName} is not a record class"));

        Assert.Empty(problems);
    }

    [Fact]
    public void Events_have_past_tense_names()
    {
        // A record that events carry as a member (ShiftDetails in ShiftClaimed) describes a thing,
        // not a happening; every other contract is an event and says what happened.
        var parts = ContractTypes
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .SelectMany(property => Mentioned(property.PropertyType))
            .Where(ContractTypes.Contains)
            .ToHashSet();

        var notPastTense = ContractTypes.Where(type =>
            !parts.Contains(type) &&
            !type.Name.EndsWith("ed", StringComparison.Ordinal) &&
            !IrregularPastTense.Any(participle => type.Name.EndsWith(participle, StringComparison.Ordinal)));

        Assert.Empty(notPastTense.Select(type => type.Name));
    }

    [Fact]
    public void Contracts_have_no_public_mutable_state()
    {
        var mutable = ContractTypes.SelectMany(type =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(property => property.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
                .Select(property => $"{type.Name}.{property.Name} has a public setter")
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                    .Where(field => !field.IsInitOnly && !field.IsLiteral)
                    .Select(field => $"{type.Name}.{field.Name} is a writable public field")));

        Assert.Empty(mutable);
    }

    /// <summary>A property's type and, for IReadOnlyList&lt;ShiftDetails&gt; and the like, the types it is made of.</summary>
    private static IEnumerable<Type> Mentioned(Type type) =>
        type.IsArray ? Mentioned(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Mentioned).Prepend(type)
        : [type];

    /// <summary>A record class has the compiler's clone method (what `with` calls).</summary>
    private static bool IsRecordClass(Type type) =>
        type.IsClass && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
