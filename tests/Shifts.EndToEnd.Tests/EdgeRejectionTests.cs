using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Issue 12: requests Kestrel would turn away itself with an empty body (an over-long URL, too many
/// or too large headers) reach StrictRequests at the gateway and get problem+json. The one class
/// Kestrel still answers alone is a %00 in the path: it is rejected while the request line is
/// parsed, before any application code runs, and this test pins that down so a change is noticed.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class EdgeRejectionTests(ShiftsSystem system)
{
    [Fact]
    public async Task An_over_long_URL_is_414_problem_json()
    {
        using var response = await system.Gateway.GetAsync($"/api/orgs/{new string('a', 9 * 1024)}");

        await ExpectProblemAsync(response, HttpStatusCode.RequestUriTooLong, "request");
    }

    [Fact]
    public async Task Too_large_or_too_many_headers_are_431_problem_json()
    {
        using (var large = new HttpRequestMessage(HttpMethod.Get, "/api/orgs/x"))
        {
            large.Headers.Add("X-Padding", new string('h', 40 * 1024));
            using var response = await system.Gateway.SendAsync(large);
            await ExpectProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers");
        }

        using var many = new HttpRequestMessage(HttpMethod.Get, "/api/orgs/x");
        for (var i = 0; i < 120; i++)
        {
            many.Headers.Add($"X-Field-{i}", "1");
        }

        using var tooMany = await system.Gateway.SendAsync(many);
        await ExpectProblemAsync(tooMany, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers");
    }

    [Fact]
    public async Task A_header_value_that_is_not_ASCII_is_400_problem_json_not_a_502()
    {
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = system.Gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
        request.Headers.TryAddWithoutValidation("X-Greeting", "Grüße");

        using var response = await client.SendAsync(request);

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "X-Greeting");
    }

    [Fact]
    public async Task NUL_in_a_query_parameter_is_400_naming_it_at_the_gateway()
    {
        using var response = await system.Gateway.GetAsync("/api/orgs/x/events?kind=%00");

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "kind");
    }

    [Fact]
    public async Task A_NUL_in_the_path_is_refused_by_Kestrel_before_the_pipeline_with_an_empty_400()
    {
        var address = system.Gateway.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/orgs/a%00b HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);

        var answer = await reader.ReadToEndAsync();

        // Kestrel's UrlDecoder throws "The path contains null characters." and HttpProtocol writes
        // the 400 with Content-Length: 0 itself; no middleware, exception handler or status-code
        // page runs (aspnetcore: KestrelHttpServer#2947, "this category of errors is not customisable").
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0", answer, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("validation", problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors names '{field}': {body}");
    }
}
