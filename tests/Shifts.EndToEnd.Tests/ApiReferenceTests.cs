using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.EndToEnd.Tests;

/// <summary>The whole API is published as OpenAPI with a browsable reference page, at the gateway's origin.</summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class ApiReferenceTests(ShiftsSystem system)
{
    [Theory]
    [InlineData("volunteers", "/api/auth/login-links")]
    [InlineData("events", "/api/shifts/{shiftId}/claims")]
    [InlineData("events", "/api/orgs/{org}/shifts")]
    public async Task Each_service_publishes_its_OpenAPI_document_through_the_gateway(string service, string path)
    {
        var document = await system.Gateway.GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out _), $"{service} documents {path}");
        Assert.Equal("/", document.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_reference_page_is_served_at_api_docs()
    {
        using var page = await system.Gateway.GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Shifts API", html, StringComparison.Ordinal);
        // The page loads the documents relative to itself: /api/docs/ + ../../openapi/events.json.
        Assert.Contains("../../openapi/events.json", html, StringComparison.Ordinal);
        var resolved = new Uri(new Uri(system.Gateway.BaseAddress!, "/api/docs/"), "../../openapi/events.json");
        using var document = await system.Gateway.GetAsync(resolved);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }
}
