using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>The gateway checks tokens before any service sees the request; the services check again.</summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class GatewayAuthTests(ShiftsSystem system)
{
    [Theory]
    [InlineData("/api/me/shifts")]
    [InlineData("/api/orgs/kv-mitte-ost/shifts")]
    [InlineData("/api/me/notifications")]
    public async Task Routes_for_signed_in_callers_are_401_at_the_gateway_without_a_token(string path)
    {
        using var root = SampledRoot();
        var traceId = root.TraceId;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
        Assert.True(await ReachedAsync(traceId, system.Gateway.BaseAddress!.Port), "the gateway answered");
        Assert.False(await ReachedAServiceAsync(traceId), "the request never left the gateway");
    }

    [Fact]
    public async Task A_forged_expired_or_unsigned_token_is_401_even_where_anonymous_callers_are_welcome()
    {
        using var otherKey = new TestTokens("test-key");
        var forged = otherKey.Mint(Guid.NewGuid(), "Mallory", [("kv-mitte-ost", "admin")], platformAdmin: true);
        var expired = system.Tokens.Mint(Guid.NewGuid(), "Late", lifetime: TimeSpan.FromMinutes(1), now: DateTimeOffset.UtcNow.AddHours(-2));
        var valid = system.Tokens.Mint(Guid.NewGuid(), "Anna", [("kv-mitte-ost", "helper")]);
        var parts = valid.Split('.');
        var unsigned = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        var tampered = parts[0] + "." + Base64Url(JsonSerializer.Serialize(new { sub = Guid.NewGuid(), mem = new[] { "kv-mitte-ost:admin" }, iss = "shifts", aud = "shifts", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() })) + "." + parts[2];

        foreach (var token in new[] { forged, expired, unsigned, tampered })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orgs/kv-mitte-ost");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await system.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_valid_token_passes_the_gateway_and_the_service_decides()
    {
        using var root = SampledRoot();
        var traceId = root.TraceId;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orgs/some-other-org/shifts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", system.Tokens.Mint(Guid.NewGuid(), "Anna", [("kv-mitte-ost", "helper")]));

        using var response = await system.Gateway.SendAsync(request);

        // Not a member of that organisation: the events service says so.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(await ReachedAServiceAsync(traceId));
    }

    /// <summary>A sampled trace of the test's own, so the spans of this request can be told from every other test's.</summary>
    private static Activity SampledRoot()
    {
        var root = new Activity("gateway-auth-test").SetIdFormat(ActivityIdFormat.W3C);
        root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return root.Start();
    }

    private async Task<bool> ReachedAServiceAsync(ActivityTraceId traceId)
    {
        var ports = new[] { system.VolunteersAddress.Port, system.EventsAddress.Port, system.NotificationsAddress.Port };
        foreach (var port in ports)
        {
            if (await ReachedAsync(traceId, port))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> ReachedAsync(ActivityTraceId traceId, int port)
    {
        var spans = await system.TraceAsync(traceId, s => s.Kind == ActivityKind.Server && s.GetTagItem("server.port") is int p && p == port, TimeSpan.FromSeconds(2));
        return spans.Any(s => s.Kind == ActivityKind.Server && s.GetTagItem("server.port") is int p && p == port);
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
