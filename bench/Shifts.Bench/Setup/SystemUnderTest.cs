using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shifts.Bench.Smtp;

namespace Shifts.Bench.Setup;

/// <summary>A helper the benchmark made up: registered over the bus, with a token minted for it.</summary>
public sealed record Helper(Guid Id, string Name, string Email, string Token);

/// <summary>
/// The running system, from outside: HTTP through the gateway (and straight to the events service
/// for the gateway-overhead comparison), the SMTP sink its mail goes to, the broker and the databases.
/// </summary>
public sealed partial class SystemUnderTest : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SocketsHttpHandler _handler = new()
    {
        MaxConnectionsPerServer = 2048,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public SystemUnderTest(BenchSettings settings)
    {
        Settings = settings;
        Gateway = new HttpClient(_handler, false) { BaseAddress = settings.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        Events = new HttpClient(_handler, false) { BaseAddress = settings.Events, Timeout = TimeSpan.FromSeconds(60) };
        Events2 = new HttpClient(_handler, false) { BaseAddress = settings.Events2, Timeout = TimeSpan.FromSeconds(60) };
        Volunteers = new HttpClient(_handler, false) { BaseAddress = settings.Volunteers, Timeout = TimeSpan.FromSeconds(60) };
        // Listening before the first request: nothing in the system sends mail before the admin's login link.
        Mail = SmtpSink.Start(settings.SmtpPort);
    }

    public BenchSettings Settings { get; }
    public HttpClient Gateway { get; }
    public HttpClient Events { get; }

    /// <summary>The second events replica, straight (not through the gateway).</summary>
    public HttpClient Events2 { get; }
    public HttpClient Volunteers { get; }

    /// <summary>The SMTP server of the system under test (Smtp__Port of the notifications service).</summary>
    public SmtpSink Mail { get; }

    /// <summary>Sends one request; answers the status and, for a problem, its code (docs/api.md).</summary>
    public static async Task<(int Status, string? Code, JsonElement? Body)> SendAsync(
        HttpClient client, HttpMethod method, string path, string? token, object? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        JsonElement? json = null;
        string? code = null;
        if (bytes.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            json = JsonDocument.Parse(bytes).RootElement.Clone();
            if (!response.IsSuccessStatusCode && json.Value.ValueKind == JsonValueKind.Object && json.Value.TryGetProperty("code", out var c))
            {
                code = c.GetString();
            }
        }

        return ((int)response.StatusCode, code, json);
    }

    /// <summary>Sends and insists on one status; the setup stops with what the service said otherwise.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpStatusCode wanted, HttpClient client, HttpMethod method, string path, string? token, object? body = null)
    {
        var (status, code, json) = await SendAsync(client, method, path, token, body);
        if (status != (int)wanted)
        {
            throw new InvalidOperationException($"{method} {path} answered {status} {code} (wanted {(int)wanted}): {json}");
        }

        return json ?? default;
    }

    public async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until every confirmation the claims so far caused has been mailed: the events outbox and the notifications deliveries are empty.</summary>
    public async Task<double> WaitForQuietAsync(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var unsent = await ScalarAsync<long>("events", "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
            var claims = await ScalarAsync<long>("events", "SELECT count(*) FROM claims WHERE status = 'confirmed'");
            var recorded = await ScalarAsync<long>("notifications", "SELECT count(*) FROM claims");
            var pending = await ScalarAsync<long>("notifications", "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')");
            if (unsent == 0 && pending == 0 && recorded >= claims)
            {
                return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(500);
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        Events.Dispose();
        Events2.Dispose();
        Volunteers.Dispose();
        _handler.Dispose();
        await Mail.DisposeAsync();
    }
}
