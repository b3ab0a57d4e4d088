using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Tests.Domain;

/// <summary>The fields a set of validation errors names, as the 400 would list them.</summary>
internal static class Fields
{
    public static string[] Of(ValidationErrors errors) =>
        errors.Any ? [.. ((IDictionary<string, string[]>)errors.ToProblem().ProblemDetails.Extensions["errors"]!).Keys] : [];
}
