using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers;

public static class TextRules
{
    /// <summary>
    /// A name, phone number or search text: at most <paramref name="max"/> characters once trimmed,
    /// and no control characters (a NUL would not even reach PostgreSQL, and a line break has no
    /// business in a name on a mail or a badge).
    /// </summary>
    public static ValidationErrors PlainText(this ValidationErrors errors, string field, string? value, int max, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text(field, value, max, required);
        if (value is not null && value.Any(char.IsControl))
        {
            errors.Add(field, $"'{field}' must not contain control characters.");
        }

        return errors;
    }
}
