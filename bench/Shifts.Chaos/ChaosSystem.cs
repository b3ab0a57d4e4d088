using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shifts.Bench.Setup;

namespace Shifts.Chaos;


/// <summary>
/// The system <c>./shifts chaos</c> started: addresses from the environment the script exports,
/// its hands on the processes (<c>./shifts chaos-ctl</c>), and the organisation, coordinator and
/// helpers every scenario uses, created through the gateway like any client would.
/// </summary>
public sealed partial class ChaosSystem : IDisposable
{
    public const string Org = "chaos";

    private readonly ECDsa _signingKey;
    private readonly TokenMint _tokens;

    public ChaosSystem()
    {
        Gateway = new Uri(Env("SHIFTS_CHAOS_GATEWAY"));
        Services = Env("SHIFTS_CHAOS_SERVICES").Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => new Uri(p[1]));
        PostgresBase = Env("SHIFTS_CHAOS_POSTGRES");
        var management = new Uri(Env("SHIFTS_CHAOS_RABBITMQ_MANAGEMENT"));
        Management = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri, Timeout = TimeSpan.FromSeconds(10) };
        Management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        Smtp = new HttpClient { BaseAddress = new Uri(Env("SHIFTS_CHAOS_SMTP_API")), Timeout = TimeSpan.FromSeconds(30) };
        Ctl = Env("SHIFTS_CHAOS_CTL");
        AdminEmail = Env("SHIFTS_CHAOS_ADMIN_EMAIL");
        ResultsDirectory = Env("SHIFTS_CHAOS_RESULTS");
        _signingKey = ECDsa.Create();
        _signingKey.ImportFromPem(File.ReadAllText(Env("SHIFTS_CHAOS_SIGNING_KEY_FILE")));
        _tokens = new TokenMint(_signingKey, KeyId(_signingKey));
        Anonymous = NewClient(null);
    }

    public Uri Gateway { get; }

    public IReadOnlyDictionary<string, Uri> Services { get; }

    public string PostgresBase { get; }

    public HttpClient Management { get; }

    public HttpClient Smtp { get; }

    public string Ctl { get; }

    public string AdminEmail { get; }

    public string ResultsDirectory { get; }

    public HttpClient Anonymous { get; }

    public HttpClient Coordinator { get; private set; } = null!;

    /// <summary>The helpers the claim load signs in as.</summary>
    public List<Helper> Helpers { get; } = [];

    /// <summary>Every person created, by volunteer id (the load's helpers and the scenarios' own).</summary>
    public Dictionary<Guid, string> Emails { get; } = [];

    public string Database(string name) => $"{PostgresBase};Database={name};Timeout=5;Command Timeout=30";

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set; run this through ./shifts chaos");

    /// <summary>A gateway client; short timeouts, so a hung request counts as one, not as a stalled worker.</summary>
    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Runs <c>./shifts chaos-ctl action part</c>; its output goes to ours, indented.</summary>
    public async Task<string> ControlAsync(string action, string? part = null)
    {
        var start = new ProcessStartInfo(Ctl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("chaos-ctl");
        start.ArgumentList.Add(action);
        if (part is not null)
        {
            start.ArgumentList.Add(part);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run " + Ctl);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        foreach (var line in (text + (await error)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Log.Line("      ctl: " + line.Trim());
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./shifts chaos-ctl {action} {part} failed (exit {process.ExitCode})");
        }

        return text.Trim();
    }

    /// <summary>
    /// Starts the services (consumers first, so their queues exist before anything is published),
    /// then creates the organisation, a coordinator and the helpers through the public API.
    /// </summary>
    public async Task SetUpAsync(int helpers)
    {
        foreach (var service in new[] { "notifications", "events", "volunteers", "gateway" })
        {
            await ControlAsync("start", service);
        }

        // The platform admin logs in as a person would: a link by mail.
        var admin = NewClient(await LogInByMailAsync(AdminEmail));
        await ExpectAsync(HttpStatusCode.Created, () => admin.PostAsJsonAsync("/api/orgs", new { slug = Org, name = "Chaos e.V.", timeZone = "Europe/Berlin" }));
        await ExpectAsync(HttpStatusCode.Accepted, () => admin.PostAsJsonAsync($"/api/orgs/{Org}/members",
            new { name = "Coco Ordinator", email = "coordinator@chaos.example.org", role = "coordinator", locale = "en" }));
        Coordinator = NewClient(Mint(await ConfirmByMailAsync("coordinator@chaos.example.org"), "Coco Ordinator", "coordinator"));
        for (var i = 0; i < helpers; i++)
        {
            await AddHelperAsync($"Helper {i:00}", $"helper-{i:00}@chaos.example.org");
        }
    }

    /// <param name="forLoad">Whether the claim load may sign in as this helper.</param>
    public async Task<Helper> AddHelperAsync(string name, string email, bool forLoad = true)
    {
        await ExpectAsync(HttpStatusCode.Accepted, () => Coordinator.PostAsJsonAsync($"/api/orgs/{Org}/members", new { name, email, role = "helper", locale = "en" }));
        var id = await ConfirmByMailAsync(email);
        var helper = new Helper(id, name, email, NewClient(Mint(id, name, "helper")));
        Emails[id] = email;
        if (forLoad)
        {
            Helpers.Add(helper);
        }

        return helper;
    }

    /// <summary>
    /// A published event with <paramref name="shifts"/> shifts 30 days ahead: each shift lasts an hour
    /// and starts 30 minutes after the one before, so neighbours overlap (the exclusion constraint
    /// gets work). Returns the shift ids and titles. Retries while the events service has not yet
    /// heard of the organisation (replicas follow through RabbitMQ).
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Title)>> CreateEventAsync(string title, int dayOffset, int shifts, int capacity)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(30 + dayOffset);
        string Local(DateTime local) => new DateTimeOffset(local, berlin.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var first = day.AddHours(6);
        var body = new
        {
            title,
            kind = "festival",
            location = new { name = "Chaos Platz" },
            startsAt = Local(first),
            endsAt = Local(first.AddMinutes(30 * shifts + 60)),
            shifts = Enumerable.Range(0, shifts).Select(i => new
            {
                title = $"{title}-{i:00}",
                startsAt = Local(first.AddMinutes(30 * i)),
                endsAt = Local(first.AddMinutes(30 * i + 60)),
                capacity,
                minimum = 0,
            }).ToArray(),
        };
        var created = await ExpectAsync(HttpStatusCode.Created, () => Coordinator.PostAsJsonAsync($"/api/orgs/{Org}/events", body), TimeSpan.FromSeconds(60));
        var eventId = created.GetProperty("id").GetGuid();
        await ExpectAsync(HttpStatusCode.OK, () => Coordinator.PostAsync($"/api/events/{eventId}/publish", null));
        var view = await ExpectAsync(HttpStatusCode.OK, () => Coordinator.GetAsync($"/api/events/{eventId}"));
        return view.GetProperty("shifts").EnumerateArray().Select(s => (s.GetProperty("id").GetGuid(), s.GetProperty("title").GetString()!)).ToList();
    }

    /// <summary>Asks for a login link, reads it from the SMTP sink and exchanges it for an access token.</summary>
    private async Task<string> LogInByMailAsync(string email)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            await ExpectAsync(HttpStatusCode.Accepted, () => Anonymous.PostAsJsonAsync("/api/auth/login-links", new { email }));
            var asked = DateTime.UtcNow;
            while (DateTime.UtcNow - asked < TimeSpan.FromSeconds(15))
            {
                foreach (var mail in (await SmtpSink.ReadAsync(Smtp)).Where(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase)).OrderByDescending(m => m.Received))
                {
                    var match = LoginToken().Match(await Smtp.GetStringAsync($"api/messages/{mail.Id}/plaintext"));
                    if (match.Success)
                    {
                        var session = await ExpectAsync(HttpStatusCode.OK, () => Anonymous.PostAsJsonAsync("/api/auth/sessions", new { token = match.Groups[1].Value }));
                        return session.GetProperty("accessToken").GetString()!;
                    }
                }

                await Task.Delay(500);
            }
        }

        throw new InvalidOperationException($"no login link reached {email} within 120 s");
    }

    /// <summary>
    /// Clicks the link of the confirmation mail an invitation sent to <paramref name="email"/>, as the
    /// person would (only that makes them a member); returns their volunteer id.
    /// </summary>
    private async Task<Guid> ConfirmByMailAsync(string email)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var mail in (await SmtpSink.ReadAsync(Smtp)).Where(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase)).OrderByDescending(m => m.Received))
            {
                var match = ConfirmationToken().Match(await Smtp.GetStringAsync($"api/messages/{mail.Id}/plaintext"));
                if (match.Success)
                {
                    var confirmed = await ExpectAsync(HttpStatusCode.OK, () => Anonymous.PostAsJsonAsync("/api/memberships/confirm", new { token = match.Groups[1].Value }));
                    return confirmed.GetProperty("volunteerId").GetGuid();
                }
            }

            await Task.Delay(300);
        }

        throw new InvalidOperationException($"no confirmation link reached {email} within 120 s");
    }

    /// <summary>An access token like the volunteers service issues (ES256 with its configured key, its kid), for one role here.</summary>
    public string Mint(Guid volunteerId, string name, string role) => _tokens.Mint(volunteerId, name, [(Org, role)], TimeSpan.FromHours(8));

    /// <summary>The JWK thumbprint (RFC 7638) of the public key, as the volunteers service names its keys.</summary>
    private static string KeyId(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{TokenMint.Base64Url(q.X!)}\",\"y\":\"{TokenMint.Base64Url(q.Y!)}\"}}";
        return TokenMint.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Sends until the wanted status comes back (replicas follow through RabbitMQ), or fails naming the last answer.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpStatusCode wanted, Func<Task<HttpResponseMessage>> send, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            string last;
            try
            {
                using var response = await send();
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == wanted)
                {
                    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                }

                last = $"{(int)response.StatusCode} {text}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"wanted {(int)wanted}, got {last}");
            }

            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"/join/confirm\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmationToken();

    [GeneratedRegex(@"/login\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex LoginToken();

    public void Dispose()
    {
        _signingKey.Dispose();
        Management.Dispose();
        Smtp.Dispose();
        Anonymous.Dispose();
        Coordinator?.Dispose();
        foreach (var helper in Helpers)
        {
            helper.Client.Dispose();
        }
    }
}
