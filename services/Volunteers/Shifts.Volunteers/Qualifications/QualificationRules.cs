using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Qualifications;

/// <summary>What a qualification code looks like: kebab case like a slug, e.g. first-aid.</summary>
public static class QualificationRules
{
    public const int MaxCodeLength = 50;

    public static bool IsCode(string? value) => value is { Length: >= 1 and <= MaxCodeLength } && OrganisationRules.Kebab().IsMatch(value);
}
