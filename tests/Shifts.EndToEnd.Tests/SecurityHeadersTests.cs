using System.Net;
using System.Net.Http.Headers;
using Shifts.Gateway;
using Xunit.Abstractions;

namespace Shifts.EndToEnd.Tests;

/// <summary>Every answer of the public origin carries the browser-facing security headers and names no server software.</summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class SecurityHeadersTests(ShiftsSystem system, ITestOutputHelper output)
{
    [Theory]
    [InlineData("/", HttpStatusCode.OK)] // the web app, from the gateway's files
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/api/orgs/no-such-org", HttpStatusCode.NotFound)] // proxied: the volunteers service's problem
    [InlineData("/.well-known/jwks.json", HttpStatusCode.OK)] // proxied: a service's 200
    [InlineData("/api/no-such-resource", HttpStatusCode.NotFound)] // the gateway's own problem
    [InlineData("/api/me", HttpStatusCode.Unauthorized)] // turned away at the gateway
    public async Task Every_answer_has_the_security_headers_and_no_Server_header(string path, HttpStatusCode status)
    {
        using var response = await system.Gateway.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Single(response, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Contains("camera=()", Single(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "no Server header");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task Problem_answers_keep_their_problem_body_and_get_the_headers()
    {
        using var response = await system.Gateway.GetAsync("/api/no-such-resource");

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task HSTS_is_sent_when_a_trusted_proxy_says_the_request_came_over_TLS()
    {
        // The test runs on loopback, which the gateway trusts by default (Network:TrustedProxies).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.20");
        using var response = await system.Gateway.SendAsync(request);

        Assert.Equal("max-age=31536000", Single(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_services_send_no_Server_header_either()
    {
        foreach (var service in new[] { system.VolunteersAddress, system.EventsAddress, system.NotificationsAddress })
        {
            using var client = new HttpClient { BaseAddress = service };
            using var response = await client.GetAsync("/health/live");
            Assert.False(response.Headers.Contains("Server"), $"{service} sends no Server header");
        }
    }

    [Fact]
    public async Task The_API_reference_gets_its_own_policy_and_loads_nothing_from_elsewhere()
    {
        using var response = await system.Gateway.GetAsync("/api/docs/");
        var html = await response.Content.ReadAsStringAsync();
        output.WriteLine(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Single(response, "Content-Security-Policy");
        var hash = Assert.Single(SecurityHeaders.InlineScriptHashes(html)); // Scalar's start-up module
        Assert.Equal(SecurityHeaders.ApiReferencePolicy([hash]), policy);
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("://", ScriptAndLinkSources(html));
        Assert.Contains("\"withDefaultFonts\":false", html.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal); // no fonts from Scalar's CDN
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));

        using var script = await system.Gateway.GetAsync("/api/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Single(script, "Content-Security-Policy"));
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : []);

    /// <summary>The src and href values of the page's script and link elements, joined.</summary>
    private static string ScriptAndLinkSources(string html) => string.Join(' ',
        System.Text.RegularExpressions.Regex.Matches(html, "<(?:script|link)[^>]*(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
}
