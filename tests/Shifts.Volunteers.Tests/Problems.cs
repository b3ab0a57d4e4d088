using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Volunteers.Tests;

/// <summary>Assertions on RFC 9457 problem responses with the codes of docs/api.md ("Errors").</summary>
public static class Problems
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>A 400 validation problem whose errors map names <paramref name="field"/>.</summary>
    public static async Task<JsonElement> AssertValidationAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"errors names '{field}': {problem}");
        return problem;
    }

    public static Task<JsonElement> AssertForbiddenAsync(HttpResponseMessage response) => AssertAsync(response, HttpStatusCode.Forbidden, "forbidden");

    public static Task<JsonElement> AssertNotFoundAsync(HttpResponseMessage response) => AssertAsync(response, HttpStatusCode.NotFound, "not-found");

    public static Task<JsonElement> AssertUnauthenticatedAsync(HttpResponseMessage response) => AssertAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
