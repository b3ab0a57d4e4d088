using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Qualifications;

namespace Shifts.Volunteers.Members;

/// <summary>A list of qualification codes in a request (an invitation's, a grant's).</summary>
public static class QualificationCodes
{
    public const int MaxPerMember = 50;

    /// <summary>Distinct, sorted codes of a well-formed list; errors name the field otherwise.</summary>
    public static string[] Check(ValidationErrors errors, string field, string[]? codes, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (codes is null)
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required: a list of qualification codes, possibly empty.");
            }

            return [];
        }

        if (codes.Length > MaxPerMember)
        {
            errors.Add(field, $"'{field}' may hold at most {MaxPerMember} codes.");
            return [];
        }

        if (codes.Any(c => !QualificationRules.IsCode(c)))
        {
            errors.Add(field, $"Each entry of '{field}' must be a qualification code such as first-aid.");
            return [];
        }

        return [.. codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
