using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Web.Api;

/// <summary>
/// An API refusal (RFC 9457 problem details) as the pages need it: the machine-readable
/// <see cref="Code"/> the app maps to its own localised words (<c>Localization/ProblemText</c>), and the
/// members some codes carry (<c>conflictingShiftId</c>, <c>waitlistAvailable</c>, ...).
/// </summary>
public sealed record ApiProblem(int Status, string Code, string? Detail, JsonElement Body)
{
    /// <summary>The gateway or the network failed us: nothing the person did.</summary>
    public const string Unavailable = "unavailable";

    public bool IsUnauthenticated => Status == 401;

    public string? StringMember(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool? BoolMember(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public Guid? GuidMember(string name) => Guid.TryParse(StringMember(name), out var id) ? id : null;

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        JsonElement body = default;
        try
        {
            if (response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            }
        }
        catch (JsonException)
        {
            body = default;
        }

        var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()!
            : status switch
            {
                401 => "unauthenticated",
                403 => "forbidden",
                404 => "not-found",
                429 => "rate-limited",
                >= 500 => Unavailable,
                _ => "validation",
            };
        var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return new ApiProblem(status, code, detail, body);
    }
}
