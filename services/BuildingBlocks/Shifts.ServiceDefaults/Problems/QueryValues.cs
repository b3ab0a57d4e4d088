using System.Globalization;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Paging;

namespace Shifts.ServiceDefaults.Problems;

/// <summary>
/// Query-string values, read the same way by every endpoint: each reader returns the value (or
/// the default) and adds a field error naming the parameter when the text is not one. Endpoints
/// bind query parameters as text and read them here, so a bad value is a 400 that says which
/// parameter and why, never a binding failure; the OpenAPI documents still give each its type
/// (<see cref="Shifts.ServiceDefaults.OpenApi.OpenApiSetup"/>).
/// </summary>
public static class QueryValues
{
    /// <summary><c>?limit=</c>: a whole number from 1 to <see cref="Page.MaxLimit"/>; absent is <see cref="Page.DefaultLimit"/>.</summary>
    public static int Limit(this ValidationErrors errors, string? text, int defaultLimit = Page.DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is null)
        {
            return defaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= Page.MaxLimit)
        {
            return limit;
        }

        errors.Add("limit", $"'limit' must be a whole number from 1 to {Page.MaxLimit}.");
        return defaultLimit;
    }

    /// <summary>An ISO 8601 instant with an offset (see <see cref="Instants.TryParse"/>), optionally within [earliest, latest).</summary>
    public static DateTimeOffset? Instant(this ValidationErrors errors, string field, string? text, DateTimeOffset? earliest = null, DateTimeOffset? latest = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is null)
        {
            return null;
        }

        if (Instants.TryParse(text, out var value) && (earliest is null || value >= earliest) && (latest is null || value < latest))
        {
            return value;
        }

        var range = earliest is { } from && latest is { } to ? $" between the years {from.Year} and {to.Year - 1}" : "";
        errors.Add(field, $"'{field}' must be an ISO 8601 instant with an offset{range}, e.g. 2026-06-13T10:00:00+02:00.");
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>, in that spelling.</summary>
    public static bool? Boolean(this ValidationErrors errors, string field, string? text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        switch (text)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add(field, $"'{field}' must be true or false.");
                return null;
        }
    }

    /// <summary>
    /// <c>?cursor=</c> read with <paramref name="read"/> (which reads the fields a list wrote, in
    /// order); null when absent, and a field error when it is not a cursor this list returned.
    /// </summary>
    public static T? Cursor<T>(this ValidationErrors errors, string? text, Func<CursorReader, T?> read) where T : struct
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(read);
        if (text is null)
        {
            return null;
        }

        if (CursorReader.TryOpen(text, out var reader) && read(reader) is { } value && reader.End)
        {
            return value;
        }

        errors.Add("cursor", "'cursor' is not a cursor this API returned.");
        return null;
    }
}
