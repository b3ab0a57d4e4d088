using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Demo.Api;

/// <summary>An answer of the API: its status, its problem code (if it is a problem) and its body.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string? Code, JsonElement Body);

/// <summary>
/// The public API through the gateway, as any client sees it. Every unexpected answer stops the
/// demo with the request, the status and the problem's code and detail.
/// </summary>
public sealed class GatewayClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private Func<string, CancellationToken, Task<string>>? _currentToken;

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>
    /// Access tokens live minutes and a load takes longer: before each request, <paramref name="currentToken"/>
    /// turns a token handed out earlier into the one to send now (the same, or a refreshed one).
    /// </summary>
    public void RenewTokensWith(Func<string, CancellationToken, Task<string>> currentToken) => _currentToken = currentToken;

    /// <summary>Sends the request and answers it when its status is one of <paramref name="expected"/>.</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        var answer = await SendOnceAsync(method, path, token, body, cancellationToken);
        if (!expected.Contains(answer.Status))
        {
            throw Unexpected(method, path, answer);
        }

        return answer;
    }

    /// <summary>
    /// Like <see cref="SendAsync"/>, but repeats the request while <paramref name="notYet"/> says the
    /// answer only reflects a replica that has not caught up (the services share facts by messages,
    /// so a grant or an organisation reaches the events service a moment after the volunteers service).
    /// </summary>
    public async Task<ApiAnswer> SendEventuallyAsync(
        HttpMethod method, string path, string? token, object? body, Func<ApiAnswer, bool> notYet, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var answer = await SendOnceAsync(method, path, token, body, cancellationToken);
            if (expected.Contains(answer.Status))
            {
                return answer;
            }

            if (!notYet(answer) || DateTime.UtcNow > deadline)
            {
                throw Unexpected(method, path, answer);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    public Task<ApiAnswer> GetAsync(string path, string? token, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, token, null, cancellationToken, HttpStatusCode.OK);

    private async Task<ApiAnswer> SendOnceAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        if (token is not null && _currentToken is not null)
        {
            token = await _currentToken(token, cancellationToken);
        }

        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DemoException($"{method} {new Uri(BaseAddress, path)} failed: {ex.Message} (is the gateway running?)");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = default(JsonElement);
            if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }

            var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return new ApiAnswer(response.StatusCode, code, json);
        }
    }

    private static DemoException Unexpected(HttpMethod method, string path, ApiAnswer answer)
    {
        var detail = answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("detail", out var d) ? d.GetString() : null;
        var errors = answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("errors", out var e) ? " " + e.GetRawText() : "";
        return new DemoException($"{method} {path} answered {(int)answer.Status}{(answer.Code is null ? "" : " " + answer.Code)}: {detail}{errors}");
    }
}
