using Polly.CircuitBreaker;
using Polly.Timeout;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace Shifts.Web.Api;

/// <summary>
/// The public API as the web app uses it: through the gateway (<c>Web:GatewayAddress</c>), with the
/// signed-in person's access token, their language, and the address of the browser that asked (so
/// the gateway and the services count rate limits per person, not per web replica). Each feature's
/// calls live in their own partial file beside this one (ShiftsApi.Shifts.cs, ShiftsApi.Me.cs, ...).
/// </summary>
public sealed partial class ShiftsApi(HttpClient http, IHttpContextAccessor accessor)
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>GET, answered with the body as <typeparamref name="T"/> or the API's problem.</summary>
    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, ct: ct);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken ct = default, IReadOnlyDictionary<string, string>? headers = null, bool anonymous = false) =>
        SendAsync<T>(HttpMethod.Post, path, body, headers, ct, anonymous);

    public Task<ApiResult<T>> PatchAsync<T>(string path, object? body, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Patch, path, body, ct: ct);

    /// <summary>A call whose success has no body worth reading (204, 202).</summary>
    public async Task<ApiResult<bool>> SendAsync(HttpMethod method, string path, object? body = null, CancellationToken ct = default, bool anonymous = false)
    {
        using var request = await RequestAsync(method, path, body, null, anonymous);
        using var response = await http.SendAsync(request, ct);
        return response.IsSuccessStatusCode
            ? ApiResult<bool>.Success(true, response.StatusCode)
            : ApiResult<bool>.Failure(await ApiProblem.ReadAsync(response, ct));
    }

    /// <param name="anonymous">Without the session's token: the calls that make or renew a session (reading the token would authenticate the request again).</param>
    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default, bool anonymous = false)
    {
        using var request = await RequestAsync(method, path, body, headers, anonymous);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return ApiResult<T>.Failure(await ApiProblem.ReadAsync(response, ct));
        }

        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return ApiResult<T>.Success(default, response.StatusCode);
        }

        return ApiResult<T>.Success(await response.Content.ReadFromJsonAsync<T>(Json, ct), response.StatusCode);
    }

    /// <summary>
    /// A response to stream on to the browser as it is (calendar files, the data export). The caller
    /// disposes it; a failure is the API's problem.
    /// </summary>
    public async Task<(HttpResponseMessage? Response, ApiProblem? Problem)> DownloadAsync(string path, CancellationToken ct = default, string? accept = null)
    {
        using var request = await RequestAsync(HttpMethod.Get, path, null, accept is null ? null : new Dictionary<string, string> { ["Accept"] = accept }, anonymous: false);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return (response, null);
        }

        using (response)
        {
            return (null, await ApiProblem.ReadAsync(response, ct));
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, object? body, IReadOnlyDictionary<string, string>? headers, bool anonymous)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName));
        if (accessor.HttpContext is { } context)
        {
            if (context.Connection.RemoteIpAddress is { } client)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", client.ToString());
            }

            // The access token of this request's session (refreshed before the page ran, SessionRefresh).
            if (!anonymous && await context.GetTokenAsync("access_token") is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new IsoDurationConverter());
        return options;
    }

    /// <summary>
    /// A gateway that cannot be reached (refused, timed out, circuit open) is the API's
    /// "unavailable", so a page can say so in words instead of failing as a whole.
    /// </summary>
    private static async Task<ApiResult<T>> Guarded<T>(Func<Task<ApiResult<T>>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException { InnerException: TimeoutException } or JsonException)
        {
            return ApiResult<T>.Failure(new ApiProblem(503, ApiProblem.Unavailable, e.Message, default));
        }
    }
}

/// <summary>An API answer: the value, or the problem the API gave (or one made up for a transport failure).</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, HttpStatusCode Status)
{
    public bool Ok => Problem is null;

    public static ApiResult<T> Success(T? value, HttpStatusCode status) => new(value, null, status);

    public static ApiResult<T> Failure(ApiProblem problem) => new(default, problem, (HttpStatusCode)problem.Status);
}

/// <summary>ISO 8601 durations ("PT24H"), as the API writes every TimeSpan.</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        System.Xml.XmlConvert.ToTimeSpan(reader.GetString() ?? throw new JsonException("a duration must be a string"));

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(System.Xml.XmlConvert.ToString(value));
    }
}
