using System.Net.Mail;
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

    /// <summary>One email address as a person types it: at most 254 characters, nothing around it but spaces.</summary>
    public static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 }
        && MailAddress.TryCreate(value.Trim(), out var address)
        && address.Address == value.Trim();
}
