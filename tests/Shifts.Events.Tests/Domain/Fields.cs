using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Tests.Domain;

/// <summary>The fields a set of validation errors names, as the 400 would list them.</summary>
internal static class Fields
{
    public static string[] Of(ValidationErrors errors) =>
        errors.Any ? [.. ((IDictionary<string, string[]>)errors.ToProblem().ProblemDetails.Extensions["errors"]!).Keys] : [];

    /// <summary>The messages for one field.</summary>
    public static string[] Messages(ValidationErrors errors, string field) =>
        errors.Any && ((IDictionary<string, string[]>)errors.ToProblem().ProblemDetails.Extensions["errors"]!).TryGetValue(field, out var messages) ? messages : [];
}
