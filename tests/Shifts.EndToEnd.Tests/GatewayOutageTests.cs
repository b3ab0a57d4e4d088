using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Gateway;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// While a service is not running (restarting, crashed), the gateway answers like a service whose
/// database is away: 503 with Retry-After and code "unavailable" — never a bare 502, and never a
/// 500 because the signing keys could not be fetched for the token check (found by ./shifts chaos).
/// </summary>
public sealed class GatewayOutageTests : IAsyncLifetime
{
    private ServiceFactory<GatewayService> _gateway = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // Nothing listens on these ports: every service is down, the volunteers service (the token authority) too.
        var down = $"http://127.0.0.1:{ServiceFactory<GatewayService>.FreePort()}";
        _gateway = new ServiceFactory<GatewayService>(new Dictionary<string, string?>
        {
            ["Services:Volunteers"] = down,
            ["Services:Events"] = down,
            ["Services:Notifications"] = down,
            ["Services:Web"] = down,
            ["Auth:Authority"] = down,
        });
        _client = new HttpClient { BaseAddress = _gateway.Start() };
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_request_to_a_service_that_is_not_running_is_503_with_Retry_After()
    {
        using var response = await _client.GetAsync($"/api/events/{Guid.NewGuid()}");

        await AssertUnavailableAsync(response);
    }

    [Fact]
    public async Task A_page_while_the_web_app_is_not_running_is_a_503_page_in_words_with_Retry_After()
    {
        using var response = await _client.GetAsync("/shifts");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Shifts ist gleich wieder da", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_cannot_be_checked_because_the_key_authority_is_down_is_503_not_500()
    {
        using var tokens = new TestTokens();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me/shifts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint(Guid.NewGuid(), "Anna"));

        using var response = await _client.SendAsync(request);

        await AssertUnavailableAsync(response);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"answered {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After is set");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unavailable", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }
}
