using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shifts.ServiceDefaults.Problems;

/// <summary>Typed problem results with the API's codes (docs/api.md, "Errors"), for endpoints to return.</summary>
public static class Problem
{
    /// <summary>The title of every 503: something this request needs is briefly away; the request is safe to repeat.</summary>
    public const string UnavailableTitle = "The service is briefly unavailable.";

    /// <summary>Seconds a 503 asks the client to wait before it tries again (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", detail);

    public static ProblemHttpResult Forbidden(string detail, string code = ProblemCodes.Forbidden) =>
        Create(StatusCodes.Status403Forbidden, code, "Forbidden", detail);

    public static ProblemHttpResult Conflict(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict", detail, extensions);

    /// <summary>
    /// 503 <c>unavailable</c> for an endpoint to return; <see cref="UnavailableDetails"/> builds the
    /// same problem for middleware, and both come with <c>Retry-After</c> (set by the problem writer).
    /// </summary>
    public static ProblemHttpResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, UnavailableTitle, detail);

    /// <summary>The 503 problem as <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/>, for code that writes the response itself.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails UnavailableDetails(string detail)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = UnavailableTitle,
            Detail = detail,
        };
        problem.Extensions["code"] = ProblemCodes.Unavailable;
        return problem;
    }

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Create(StatusCodes.Status400BadRequest, ProblemCodes.Validation, "The request is invalid.",
            string.Join(" ", errors.SelectMany(e => e.Value)), new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: all);
    }
}

/// <summary>Collects field errors of one request; empty means valid.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>A required text of at most <paramref name="max"/> characters (trimmed).</summary>
    public ValidationErrors Text(string field, string? value, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, $"'{field}' is required.");
            }
        }
        else if (value.Trim().Length > max)
        {
            Add(field, $"'{field}' may be at most {max} characters long.");
        }

        return this;
    }

    public ValidationErrors Range(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, $"'{field}' is required.");
            }
        }
        else if (value < min || value > max)
        {
            Add(field, $"'{field}' must be between {min} and {max}.");
        }

        return this;
    }

    public ValidationErrors Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, $"'{field}' is required.");
        }

        return this;
    }

    public ProblemHttpResult ToProblem() => Problem.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
