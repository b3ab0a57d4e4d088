using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

[Collection(nameof(ShiftsSystemCollection))]
public sealed partial class WalkingSkeletonTests(ShiftsSystem system)
{
    [Theory]
    [InlineData("/api/orgs/no-such-org", "volunteers")]
    [InlineData("/api/events/00000000-0000-0000-0000-000000000001", "events")]
    [InlineData("/api/me/notifications/no-such-thing", "notifications")]
    public async Task A_request_through_the_gateway_reaches_the_service_that_owns_the_path(string path, string service)
    {
        var owner = service switch
        {
            "volunteers" => system.VolunteersAddress,
            "events" => system.EventsAddress,
            _ => system.NotificationsAddress,
        };

        // Signed in, so that routes for signed-in callers pass the gateway too; as a person who
        // exists (the services refuse a token of anyone they do not know, 401, before any 404).
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", system.Tokens.Mint(await system.AdminIdAsync(), "Anna"));
        using var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
        Assert.Equal(requestId, problem.GetProperty("requestId").GetString());

        // The gateway's server span and the owning service's server span are one trace.
        var gatewaySpan = await GatewayServerSpanAsync(path);
        var trace = await system.TraceAsync(gatewaySpan.TraceId, s => IsServerSpanOf(s, owner));
        Assert.Contains(trace, s => IsServerSpanOf(s, owner));
    }

    [Fact]
    public async Task A_login_link_request_travels_from_the_gateway_through_RabbitMQ_to_one_mail_in_one_trace()
    {
        using var response = await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email = system.AdminEmail.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mails = await system.Inbox.WaitForMailsToAsync(system.AdminEmail);
        var mail = Assert.Single(mails);
        Assert.Equal("Your Shifts login link", mail.Subject);
        var text = await system.Inbox.PlainTextAsync(mail.Id);
        Assert.Matches(LoginLink(), text);

        // gateway → volunteers → outbox relay → RabbitMQ → notifications consumer → SMTP: one trace.
        var gatewaySpan = await GatewayServerSpanAsync("/api/auth/login-links");
        var trace = await system.TraceAsync(gatewaySpan.TraceId, s => s.DisplayName == "smtp send");
        Assert.Contains(trace, s => IsServerSpanOf(s, system.VolunteersAddress));
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(trace, s => s.DisplayName == "smtp send" && s.Status != ActivityStatusCode.Error);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_mail()
    {
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        using var response = await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email = unknown });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // A known address asked for after it proves the pipeline ran past the unknown one.
        using var known = await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email = system.AdminEmail });
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        var before = (await system.Inbox.MailsToAsync(system.AdminEmail)).Count;
        await system.Inbox.WaitForMailsToAsync(system.AdminEmail, before + 1);
        Assert.Empty(await system.Inbox.MailsToAsync(unknown));
    }

    [Theory]
    [InlineData("{\"email\": ", "body")]
    [InlineData("{\"email\": 42}", "email")]
    [InlineData("[1,2,3]", "body")]
    public async Task Malformed_bodies_get_a_400_validation_problem_not_a_500(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await system.Gateway.PostAsync("/api/auth/login-links", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names '{field}': {problem}");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"email\": \"not an address\"}")]
    public async Task An_invalid_address_gets_a_400_validation_problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await system.Gateway.PostAsync("/api/auth/login-links", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task The_gateway_serves_the_web_app_and_answers_unknown_api_paths_with_a_problem()
    {
        using var page = await system.Gateway.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Shifts</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknown = await system.Gateway.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_service_and_the_gateway_are_live_and_ready()
    {
        foreach (var address in new[] { system.Gateway.BaseAddress!, system.VolunteersAddress, system.EventsAddress, system.NotificationsAddress })
        {
            using var client = new HttpClient { BaseAddress = address };
            foreach (var probe in new[] { "/health/live", "/health/ready" })
            {
                using var response = await client.GetAsync(probe);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{address}{probe} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private Task<Activity> GatewayServerSpanAsync(string path) =>
        Eventually.Async(() =>
        {
            lock (system.Spans)
            {
                return Task.FromResult(system.Spans.LastOrDefault(s => IsServerSpanOf(s, system.Gateway.BaseAddress!) && (s.GetTagItem("url.path") as string) == path));
            }
        }, TimeSpan.FromSeconds(10), $"a gateway server span for {path}");

    private static bool IsServerSpanOf(Activity span, Uri address) =>
        span.Kind == ActivityKind.Server && span.GetTagItem("server.port") is int port && port == address.Port;

    [GeneratedRegex(@"http://localhost:8080/login\?token=[A-Za-z0-9_-]{43}")]
    private static partial Regex LoginLink();
}
