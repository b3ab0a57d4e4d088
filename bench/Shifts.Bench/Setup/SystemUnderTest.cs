using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Npgsql;
using Shifts.Bench.Smtp;
using Shifts.Contracts;

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
        Volunteers = new HttpClient(_handler, false) { BaseAddress = settings.Volunteers, Timeout = TimeSpan.FromSeconds(60) };
        // Listening before the first request: nothing in the system sends mail before the admin's login link.
        Mail = SmtpSink.Start(settings.SmtpPort);
    }

    public BenchSettings Settings { get; }
    public HttpClient Gateway { get; }
    public HttpClient Events { get; }
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

    /// <summary>The platform admin logs in like a person: a login link by mail, read from the SMTP sink.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var email = Settings.AdminEmail;
        Mail.KeepContentFor(email);
        await ExpectAsync(HttpStatusCode.Accepted, Gateway, HttpMethod.Post, "/api/auth/login-links", null, new { email });
        var mail = await Mail.WaitForAsync(m => m.Content is not null && m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase), TimeSpan.FromSeconds(60));
        if (mail is not null)
        {
            using var stream = new MemoryStream(mail.Content!);
            var text = (await MimeKit.MimeMessage.LoadAsync(stream)).TextBody ?? "";
            if (LoginToken().Match(text) is { Success: true } match)
            {
                var session = await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, "/api/auth/sessions", null, new { token = match.Groups[1].Value });
                return session.GetProperty("accessToken").GetString()!;
            }
        }

        throw new InvalidOperationException($"No login link reached {email} within 60 s.");
    }

    /// <summary>
    /// Adds a member as a coordinator or admin does (an invitation, 202) and confirms it with the
    /// link from the mail, as the person would; returns their volunteer id.
    /// </summary>
    public async Task<Guid> AddMemberAsync(string token, string org, string email, object member)
    {
        Mail.KeepContentFor(email);
        await ExpectAsync(HttpStatusCode.Accepted, Gateway, HttpMethod.Post, $"/api/orgs/{org}/members", token, member);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var mail = await Mail.WaitForAsync(m => m.Content is not null && m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase), deadline - DateTime.UtcNow);
            if (mail is null)
            {
                break;
            }

            using var stream = new MemoryStream(mail.Content!);
            var text = (await MimeKit.MimeMessage.LoadAsync(stream)).TextBody ?? "";
            if (ConfirmationToken().Match(text) is { Success: true } match)
            {
                var confirmed = await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, "/api/memberships/confirm", null, new { token = match.Groups[1].Value });
                return confirmed.GetProperty("volunteerId").GetGuid();
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"No confirmation link reached {email} within 60 s.");
    }

    /// <summary>Creates <paramref name="count"/> published shifts of one organisation, 50 per event (the API's limit per event), all in one time slot.</summary>
    public async Task<List<Guid>> CreateShiftsAsync(string coordinatorToken, string org, DateTimeOffset startsAt, int count, int capacity, string title)
    {
        var ids = new List<Guid>();
        var events = (count + 49) / 50;
        var batches = Enumerable.Range(0, events).Select(e => Math.Min(50, count - (e * 50))).ToList();
        using var gate = new SemaphoreSlim(8);
        var created = await Task.WhenAll(batches.Select(async (size, e) =>
        {
            await gate.WaitAsync();
            try
            {
                var body = new
                {
                    title = $"{title} {e + 1}",
                    kind = "festival",
                    location = new { name = "Festwiese" },
                    startsAt,
                    endsAt = startsAt.AddHours(4),
                    shifts = Enumerable.Range(0, size).Select(s => new { title = $"Schicht {s + 1}", startsAt = startsAt.AddHours(1), endsAt = startsAt.AddHours(3), capacity }).ToArray(),
                };
                // The events service learns of a new organisation and its coordinator over the bus: retry until it knows them.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (true)
                {
                    var (status, code, json) = await SendAsync(Gateway, HttpMethod.Post, $"/api/orgs/{org}/events", coordinatorToken, body);
                    if (status == 201)
                    {
                        var eventId = json!.Value.GetProperty("id").GetGuid();
                        await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, $"/api/events/{eventId}/publish", coordinatorToken);
                        return json.Value.GetProperty("shifts").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
                    }

                    // 404: the organisation has not reached the events service yet; 403: the
                    // coordinator's membership has not (it authorises from its replica).
                    if (status is not (404 or 403) || DateTime.UtcNow > deadline)
                    {
                        throw new InvalidOperationException($"creating an event answered {status} {code}: {json}");
                    }

                    await Task.Delay(200);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var batch in created)
        {
            ids.AddRange(batch);
        }

        return ids;
    }

    /// <summary>
    /// Makes thousands of helpers known to the events and notifications services the way the
    /// volunteers service does: by publishing VolunteerRegistered on the bus (the integration
    /// event a sign-up publishes), and waits until both replicas hold them. The services authorise
    /// a claim from their replica of memberships, not from the token, so the memberships are then
    /// written into both replicas directly: published as MembershipChanged, each first membership
    /// would mail a welcome (and ask the events service for newcomer shifts), thousands of mails
    /// the mail scenarios do not expect.
    /// </summary>
    public async Task<List<Helper>> RegisterHelpersAsync(TokenMint mint, int count, IReadOnlyList<(string Org, string Role)> memberships)
    {
        var helpers = Enumerable.Range(0, count).Select(i =>
        {
            var id = Guid.NewGuid();
            var name = $"Helfer {i + 1}";
            return new Helper(id, name, $"helper-{i + 1}-{id.ToString("N")[..8]}@bench.example.org", mint.Mint(id, name, memberships));
        }).ToList();

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(Settings.RabbitMq));
        await bus.StartAsync();
        try
        {
            foreach (var chunk in helpers.Chunk(500))
            {
                await Task.WhenAll(chunk.Select(h => bus.Publish(new VolunteerRegistered(h.Id, h.Name, h.Email, "de"))));
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        var ids = helpers.Select(h => h.Id).ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            var inEvents = await ScalarAsync<long>("events", "SELECT count(*) FROM volunteers WHERE id = ANY(@ids)", ("ids", ids));
            var inNotifications = await ScalarAsync<long>("notifications", "SELECT count(*) FROM recipients WHERE id = ANY(@ids)", ("ids", ids));
            if (inEvents == count && inNotifications == count)
            {
                foreach (var (org, role) in memberships)
                {
                    const string grant = """
                        INSERT INTO memberships (volunteer_id, org, role) SELECT unnest(@ids), @org, @role
                        ON CONFLICT (volunteer_id, org) DO UPDATE SET role = excluded.role
                        """;
                    await ExecuteAsync("events", grant, ("ids", ids), ("org", org), ("role", role));
                    await ExecuteAsync("notifications", grant, ("ids", ids), ("org", org), ("role", role));
                }

                return helpers;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"after 180 s the events service knows {inEvents} and the notifications service {inNotifications} of {count} helpers");
            }

            await Task.Delay(500);
        }
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
        Volunteers.Dispose();
        _handler.Dispose();
        await Mail.DisposeAsync();
    }

    [GeneratedRegex(@"/login\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex LoginToken();

    [GeneratedRegex(@"/join/confirm\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmationToken();
}
