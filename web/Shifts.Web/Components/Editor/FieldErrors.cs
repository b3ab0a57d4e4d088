using System.Text.Json;
using Shifts.Web.Api;

namespace Shifts.Web.Components.Editor;

/// <summary>The API's validation errors (<c>errors</c>: field → messages) on a form's fields; "" for those the form does not have.</summary>
public static class FieldErrors
{
    public static Dictionary<string, string> From(ApiProblem problem, Func<string, string> field)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(field);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (problem.Body.ValueKind != JsonValueKind.Object || !problem.Body.TryGetProperty("errors", out var all) || all.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        foreach (var error in all.EnumerateObject())
        {
            var message = error.Value.ValueKind == JsonValueKind.Array ? string.Join(" ", error.Value.EnumerateArray().Select(m => m.GetString())) : error.Value.ToString();
            var name = field(error.Name);
            errors[name] = errors.TryGetValue(name, out var before) ? before + " " + message : message;
        }

        return errors;
    }

    /// <summary>An event's details form (PATCH /api/events/{id}).</summary>
    public static string Details(string apiField) => apiField switch
    {
        "title" => "Title",
        "description" => "Description",
        "location" or "location.name" => "LocationName",
        "location.address" => "LocationAddress",
        _ => "",
    };
}
