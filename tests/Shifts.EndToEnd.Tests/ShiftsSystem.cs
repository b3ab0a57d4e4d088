using System.Net.Http.Json;
using System.Collections.Concurrent;
using System.Diagnostics;
using Shifts.Events;
using Shifts.Gateway;
using Shifts.Notifications;
using Shifts.Testing;
using Shifts.Volunteers;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The three services and the gateway, each on its own loopback port with its own fresh database,
/// sharing one RabbitMQ virtual host and the SMTP sink. Spans of all of them are collected.
/// </summary>
public partial class ShiftsSystem : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly bool _relaxedRateLimits;
    private readonly bool _brokerThroughProxy;
    private readonly IReadOnlyDictionary<string, string?> _volunteersSettings;

    public ShiftsSystem()
        : this(relaxedRateLimits: true, brokerThroughProxy: false)
    {
    }

    /// <param name="relaxedRateLimits">
    /// False: the login rate limits are the services' defaults, as `./shifts up` runs them (every
    /// test logs in from 127.0.0.1, so most fixtures lift them; the limits are proven in Shifts.Volunteers.Tests).
    /// </param>
    /// <param name="brokerThroughProxy">Every service reaches RabbitMQ through <see cref="BrokerProxy"/>, so a test can cut the broker away from them (the shared test broker keeps running for the other test projects).</param>
    /// <param name="volunteersSettings">Settings for the volunteers service on top of the usual ones, e.g. a short <c>Auth:AccessTokenLifetime</c>.</param>
    protected internal ShiftsSystem(bool relaxedRateLimits = true, bool brokerThroughProxy = false, IReadOnlyDictionary<string, string?>? volunteersSettings = null)
    {
        _relaxedRateLimits = relaxedRateLimits;
        _brokerThroughProxy = brokerThroughProxy;
        _volunteersSettings = volunteersSettings ?? new Dictionary<string, string?>();
    }

    /// <summary>The proxy between the services and RabbitMQ, when the system was made with one.</summary>
    public TcpProxy? BrokerProxy { get; private set; }

    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@example.org";

    public List<Activity> Spans { get; } = [];

    public HttpClient Gateway { get; private set; } = null!;

    public Uri VolunteersAddress { get; private set; } = null!;

    public Uri EventsAddress { get; private set; } = null!;

    public Uri NotificationsAddress { get; private set; } = null!;

    /// <summary>The web app's own address (tests go through <see cref="Gateway"/>, as browsers do).</summary>
    public Uri WebAddress { get; private set; } = null!;

    public SmtpInbox Inbox { get; private set; } = null!;

    /// <summary>Each service's container by name ("volunteers", "events", "notifications"), e.g. for the endpoints it maps.</summary>
    public IReadOnlyDictionary<string, IServiceProvider> ServiceProviders { get; private set; } = new Dictionary<string, IServiceProvider>();

    /// <summary>Connection strings of the three services' databases (for checks that scan them whole).</summary>
    public IReadOnlyList<string> Databases { get; private set; } = [];

    /// <summary>Mints access tokens the services trust (through Auth:PublicKeys).</summary>
    public TestTokens Tokens { get; } = new();

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var broker = Own(await TestBroker.CreateAsync("e2e"));
        Inbox = await SmtpInbox.ConnectAsync();
        var brokerUri = broker.Uri;
        if (_brokerThroughProxy)
        {
            BrokerProxy = Own(new TcpProxy(broker.Uri.Host, broker.Uri.Port));
            brokerUri = BrokerProxy.AddressFor(broker.Uri);
        }

        // Every service validates real tokens against the volunteers service's published keys, and
        // tokens minted by the tests against Auth:PublicKeys; so the volunteers port is chosen first.
        var volunteersPort = ServiceFactory<VolunteersService>.FreePort();
        var authority = $"http://127.0.0.1:{volunteersPort}";

        // Databases are not created here: each service's migrator creates its own.
        var volunteersDb = Own(await TestDatabase.CreateAsync("vol", create: false));
        var eventsDb = Own(await TestDatabase.CreateAsync("evt", create: false));
        var notificationsDb = Own(await TestDatabase.CreateAsync("not", create: false));

        Databases = [volunteersDb.ConnectionString, eventsDb.ConnectionString, notificationsDb.ConnectionString];

        // What differs here; everything else keeps the default its service gives it (docs/operations.md),
        // Shifts:PublicBaseUrl too: the links in mails point to http://localhost:8080/.
        Dictionary<string, string?> Settings(TestDatabase database) => new()
        {
            ["Auth:Authority"] = authority,
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Uri"] = brokerUri.ToString(),
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
        };
        var notificationsSettings = Settings(notificationsDb);
        notificationsSettings["Smtp:Host"] = servers.SmtpHost;
        notificationsSettings["Smtp:Port"] = servers.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        notificationsSettings["Smtp:Security"] = "None";

        // Consumers first, so their queues are bound before anything is published.
        var notifications = Own(new ServiceFactory<NotificationsService>(notificationsSettings));
        NotificationsAddress = notifications.Start();
        var events = Own(new ServiceFactory<EventsService>(Settings(eventsDb)));
        EventsAddress = events.Start();
        var volunteersSettings = Settings(volunteersDb);
        volunteersSettings["Shifts:Bootstrap:AdminEmail"] = AdminEmail;
        if (_relaxedRateLimits)
        {
            volunteersSettings["RateLimits:LinksPerAddress"] = "1000";
            volunteersSettings["RateLimits:LinksPerClient"] = "100000";
            volunteersSettings["RateLimits:SessionsPerClient"] = "100000";
        }

        foreach (var (key, value) in _volunteersSettings)
        {
            volunteersSettings[key] = value;
        }

        var volunteers = Own(new ServiceFactory<VolunteersService>(volunteersSettings, port: volunteersPort));
        VolunteersAddress = volunteers.Start();
        ServiceProviders = new Dictionary<string, IServiceProvider>
        {
            ["volunteers"] = volunteers.Services,
            ["events"] = events.Services,
            ["notifications"] = notifications.Services,
        };

        // The gateway and the web app know each other's address before either starts: the gateway
        // routes pages to the web app, which calls the API through the gateway.
        var gatewayPort = ServiceFactory<GatewayService>.FreePort();
        var webPort = ServiceFactory<Shifts.Web.WebService>.FreePort();
        var web = Own(new ServiceFactory<Shifts.Web.WebService>(WebSettings(new Uri($"http://127.0.0.1:{gatewayPort}"), KeyRing), Spans, port: webPort));
        WebAddress = web.Start();
        var gateway = Own(new ServiceFactory<GatewayService>(new Dictionary<string, string?>
        {
            ["Services:Volunteers"] = VolunteersAddress.ToString(),
            ["Services:Events"] = EventsAddress.ToString(),
            ["Services:Notifications"] = NotificationsAddress.ToString(),
            ["Services:Web"] = WebAddress.ToString(),
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
            ["Auth:Authority"] = authority,
        }, Spans, port: gatewayPort));
        Gateway = new HttpClient { BaseAddress = gateway.Start() };
    }

    /// <summary>Spans of one trace, once the span named by <paramref name="until"/> has ended (spans end asynchronously).</summary>
    public async Task<IReadOnlyList<Activity>> TraceAsync(ActivityTraceId traceId, Func<Activity, bool> until, TimeSpan? timeout = null)
    {
        List<Activity> Trace()
        {
            lock (Spans)
            {
                return Spans.Where(s => s.TraceId == traceId).ToList();
            }
        }

        try
        {
            // The caller asserts on the spans, so a trace that never completes is returned as it is.
            return await Eventually.Async(() => Task.FromResult(Trace() is var trace && trace.Any(until) ? trace : null), timeout ?? TimeSpan.FromSeconds(20), $"the span that ends trace {traceId}");
        }
        catch (TimeoutException)
        {
            return Trace();
        }
    }

    /// <summary>
    /// The login token from the newest mail to <paramref name="email"/> that carries a login link and
    /// is not among <paramref name="before"/> (other mails, like the welcome, may reach the address first).
    /// </summary>
    public Task<string> ReadLoginTokenAsync(string email, IReadOnlySet<string>? before = null) =>
        ReadTokenAsync(email, before, LoginToken(), "login link");

    /// <summary>
    /// Logs in as a person would: asks for a link (unless one was mailed already, e.g. by sign-up or
    /// an invitation), reads it from the SMTP sink and exchanges it for an access token.
    /// </summary>
    public async Task<string> AccessTokenAsync(string email, bool linkAlreadyMailed = false)
    {
        var before = linkAlreadyMailed ? null : (await Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        if (!linkAlreadyMailed)
        {
            await Http.ExpectAsync(System.Net.HttpStatusCode.Accepted, await Gateway.PostAsJsonAsync("/api/auth/login-links", new { email }));
        }

        var token = await ReadLoginTokenAsync(email, before);
        var session = await Http.ExpectAsync(System.Net.HttpStatusCode.OK, await Gateway.PostAsJsonAsync("/api/auth/sessions", new { token }));
        return session.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A gateway client signed in as the person (see <see cref="AccessTokenAsync"/>).</summary>
    public async Task<HttpClient> LogInAsync(string email, bool linkAlreadyMailed = false)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await AccessTokenAsync(email, linkAlreadyMailed));
        return client;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/login\?token=([A-Za-z0-9_-]{43})")]
    private static partial System.Text.RegularExpressions.Regex LoginToken();

    /// <summary>The bootstrapped platform admin's volunteer id (the row exists from the volunteers service's start), without a login.</summary>
    public async Task<Guid> AdminIdAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Databases[0]);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT id FROM volunteers WHERE lower(email) = lower(@email)", connection);
        command.Parameters.AddWithValue("email", AdminEmail);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until the events and notifications services' replicas hold the membership (they
    /// authorise from them, fed by MembershipChanged over RabbitMQ), so a test that acts with it
    /// at once is not refused for the replica being a moment behind.
    /// </summary>
    public async Task WaitForMembershipAsync(Guid volunteerId, string org, string role)
    {
        foreach (var database in new[] { Databases[1], Databases[2] })
        {
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await Eventually.Async(async () =>
            {
                await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM memberships WHERE volunteer_id = @id AND org = @org AND role = @role", connection);
                command.Parameters.AddWithValue("id", volunteerId);
                command.Parameters.AddWithValue("org", org);
                command.Parameters.AddWithValue("role", role);
                return (long)(await command.ExecuteScalarAsync())! == 1;
            }, TimeSpan.FromSeconds(30), $"the membership {org}:{role} of {volunteerId} in {connection.Database}");
        }
    }

    /// <summary>Waits until the events and notifications services' replicas no longer hold any membership of the person in the organisation.</summary>
    public async Task WaitForNoMembershipAsync(Guid volunteerId, string org)
    {
        foreach (var database in new[] { Databases[1], Databases[2] })
        {
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await Eventually.Async(async () =>
            {
                await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM memberships WHERE volunteer_id = @id AND org = @org", connection);
                command.Parameters.AddWithValue("id", volunteerId);
                command.Parameters.AddWithValue("org", org);
                return (long)(await command.ExecuteScalarAsync())! == 0;
            }, TimeSpan.FromSeconds(30), $"the membership in {org} of {volunteerId} to leave {connection.Database}");
        }
    }

    /// <summary>Waits until the events and notifications services have recorded the person's erasure (their tombstones).</summary>
    public async Task WaitForErasureAsync(Guid volunteerId)
    {
        foreach (var (database, sql) in new[] { (Databases[1], "SELECT count(*) FROM erased_volunteers WHERE id = @id"), (Databases[2], "SELECT count(*) FROM erased_recipients WHERE id = @id") })
        {
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await Eventually.Async(async () =>
            {
                await using var command = new Npgsql.NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("id", volunteerId);
                return (long)(await command.ExecuteScalarAsync())! == 1;
            }, TimeSpan.FromSeconds(30), $"the erasure of {volunteerId} in {connection.Database}");
        }
    }

    /// <summary>
    /// The token from the newest confirmation mail ("join the organisation?") to <paramref name="email"/>
    /// that is not among <paramref name="before"/>, as the person would find it.
    /// </summary>
    public Task<string> ReadConfirmationTokenAsync(string email, IReadOnlySet<string>? before = null) =>
        ReadTokenAsync(email, before, ConfirmationToken(), "confirmation link");

    /// <summary>The token from the newest "confirm your new address" mail to <paramref name="email"/> not among <paramref name="before"/>.</summary>
    public Task<string> ReadEmailChangeTokenAsync(string email, IReadOnlySet<string>? before = null) =>
        ReadTokenAsync(email, before, EmailChangeToken(), "address confirmation link");

    private Task<string> ReadTokenAsync(string email, IReadOnlySet<string>? before, System.Text.RegularExpressions.Regex link, string what) =>
        ReadTokenAsync(Inbox, email, before, link, what);

    private static async Task<string> ReadTokenAsync(SmtpInbox inbox, string email, IReadOnlySet<string>? before, System.Text.RegularExpressions.Regex link, string what)
    {
        return await Eventually.Async(async () =>
        {
            foreach (var mail in (await inbox.MailsToAsync(email)).Where(m => before?.Contains(m.Id) != true).OrderByDescending(m => m.ReceivedDate))
            {
                var match = link.Match(await inbox.PlainTextAsync(mail.Id));
                if (match.Success)
                {
                    return match.Groups[1].Value;
                }
            }

            return null;
        }, TimeSpan.FromSeconds(30), $"a {what} in a mail to {email}");
    }

    /// <summary>
    /// Clicks the newest confirmation link mailed to the address, through any gateway (for tests that
    /// run their own systems); returns the membership (and a new person's session).
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> ConfirmMembershipAsync(SmtpInbox inbox, HttpClient gateway, string email, IReadOnlySet<string>? before = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var token = await ReadTokenAsync(inbox, email, before, ConfirmationToken(), "confirmation link");
        return await Http.ExpectAsync(System.Net.HttpStatusCode.OK, await gateway.PostAsJsonAsync("/api/memberships/confirm", new { token }));
    }

    /// <summary>Clicks the newest confirmation link mailed to the address (POST /api/memberships/confirm); returns the membership (and a new person's session).</summary>
    public Task<System.Text.Json.JsonElement> ConfirmMembershipAsync(string email, IReadOnlySet<string>? before = null) =>
        ConfirmMembershipAsync(Inbox, Gateway, email, before);

    /// <summary>
    /// Signs up through the gateway as a newcomer would and confirms from the mail; returns a
    /// gateway client signed in with the session the confirmation of a new person hands out.
    /// </summary>
    public async Task<HttpClient> SignUpAsync(string org, string name, string email, string locale = "de")
    {
        var before = (await Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        await Http.ExpectAsync(System.Net.HttpStatusCode.Accepted, await Gateway.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name, email, locale }));
        var confirmed = await ConfirmMembershipAsync(email, before);
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", confirmed.GetProperty("session").GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>
    /// Adds a member as a coordinator does (202: an invitation) and confirms it from the mail as the
    /// person would; returns their volunteer id.
    /// </summary>
    public async Task<Guid> AddMemberAsync(HttpClient coordinator, string org, object member, string email)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var before = (await Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        using var response = await coordinator.PostAsJsonAsync($"/api/orgs/{org}/members", member);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await ConfirmMembershipAsync(email, before)).GetProperty("volunteerId").GetGuid();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/join/confirm\?token=([A-Za-z0-9_-]{43})")]
    private static partial System.Text.RegularExpressions.Regex ConfirmationToken();

    [System.Text.RegularExpressions.GeneratedRegex(@"/me/email/confirm\?token=([A-Za-z0-9_-]{43})")]
    private static partial System.Text.RegularExpressions.Regex EmailChangeToken();

    /// <summary>The web app's key ring folder (Data Protection), one per system; replicas of a test share it.</summary>
    public string KeyRing { get; } = Path.Combine(Path.GetTempPath(), $"shifts-web-keys-{Guid.NewGuid():N}");

    /// <summary>The web app's settings: where the gateway is, and the key ring its replicas share.</summary>
    public static Dictionary<string, string?> WebSettings(Uri gateway, string keyRing) => new()
    {
        ["Web:GatewayAddress"] = gateway.ToString(),
        ["DataProtection:KeyRingPath"] = keyRing,
    };

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        Inbox?.Dispose();
        Tokens.Dispose();
        // Hosts before their databases and broker.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        if (Directory.Exists(KeyRing))
        {
            Directory.Delete(KeyRing, recursive: true);
        }
    }
}

[CollectionDefinition(nameof(ShiftsSystemCollection))]
public sealed class ShiftsSystemCollection : ICollectionFixture<ShiftsSystem>;
