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

    public ShiftsSystem()
        : this(relaxedRateLimits: true, brokerThroughProxy: false)
    {
    }

    /// <param name="relaxedRateLimits">
    /// False: the login rate limits are the services' defaults, as `./shifts up` runs them (every
    /// test logs in from 127.0.0.1, so most fixtures lift them; the limits are proven in Shifts.Volunteers.Tests).
    /// </param>
    /// <param name="brokerThroughProxy">Every service reaches RabbitMQ through <see cref="BrokerProxy"/>, so a test can cut the broker away from them (the shared test broker keeps running for the other test projects).</param>
    protected internal ShiftsSystem(bool relaxedRateLimits = true, bool brokerThroughProxy = false)
    {
        _relaxedRateLimits = relaxedRateLimits;
        _brokerThroughProxy = brokerThroughProxy;
    }

    /// <summary>The proxy between the services and RabbitMQ, when the system was made with one.</summary>
    public TcpProxy? BrokerProxy { get; private set; }

    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@example.org";

    public List<Activity> Spans { get; } = [];

    public HttpClient Gateway { get; private set; } = null!;

    public Uri VolunteersAddress { get; private set; } = null!;

    public Uri EventsAddress { get; private set; } = null!;

    public Uri NotificationsAddress { get; private set; } = null!;

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

        Dictionary<string, string?> BaseSettings(TestDatabase database) => new()
        {
            ["Auth:Authority"] = authority,
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Uri"] = brokerUri.ToString(),
            ["Smtp:Host"] = servers.SmtpHost,
            ["Smtp:Port"] = servers.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Shifts:PublicBaseUrl"] = "http://localhost:8080",
            ["Shifts:Bootstrap:AdminEmail"] = AdminEmail,
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
        };
        Dictionary<string, string?> Settings(TestDatabase database)
        {
            var settings = BaseSettings(database);
            if (_relaxedRateLimits)
            {
                settings["RateLimits:LinksPerAddress"] = "1000";
                settings["RateLimits:LinksPerClient"] = "100000";
                settings["RateLimits:SessionsPerClient"] = "100000";
            }

            return settings;
        }

        // Databases are not created here: each service's migrator creates its own.
        var volunteersDb = Own(await TestDatabase.CreateAsync("vol", create: false));
        var eventsDb = Own(await TestDatabase.CreateAsync("evt", create: false));
        var notificationsDb = Own(await TestDatabase.CreateAsync("not", create: false));

        Databases = [volunteersDb.ConnectionString, eventsDb.ConnectionString, notificationsDb.ConnectionString];

        // Consumers first, so their queues are bound before anything is published.
        var notifications = Own(new ServiceFactory<NotificationsService>(Settings(notificationsDb)));
        NotificationsAddress = notifications.Start();
        var events = Own(new ServiceFactory<EventsService>(Settings(eventsDb)));
        EventsAddress = events.Start();
        var volunteers = Own(new ServiceFactory<VolunteersService>(Settings(volunteersDb), port: volunteersPort));
        VolunteersAddress = volunteers.Start();
        ServiceProviders = new Dictionary<string, IServiceProvider>
        {
            ["volunteers"] = volunteers.Services,
            ["events"] = events.Services,
            ["notifications"] = notifications.Services,
        };

        var gateway = Own(new ServiceFactory<GatewayService>(new Dictionary<string, string?>
        {
            ["Services:Volunteers"] = VolunteersAddress.ToString(),
            ["Services:Events"] = EventsAddress.ToString(),
            ["Services:Notifications"] = NotificationsAddress.ToString(),
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
            ["Auth:Authority"] = authority,
        }, Spans));
        Gateway = new HttpClient { BaseAddress = gateway.Start() };
    }

    /// <summary>Spans of one trace, once the span named by <paramref name="until"/> has ended (spans end asynchronously).</summary>
    public async Task<IReadOnlyList<Activity>> TraceAsync(ActivityTraceId traceId, Func<Activity, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Activity[] snapshot;
            lock (Spans)
            {
                snapshot = [.. Spans];
            }

            var trace = snapshot.Where(s => s.TraceId == traceId).ToList();
            if (trace.Any(until) || DateTime.UtcNow > deadline)
            {
                return trace;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The login token from the newest mail to <paramref name="email"/> that carries a login link and
    /// is not among <paramref name="before"/> (other mails, like the welcome, may reach the address first).
    /// </summary>
    public async Task<string> ReadLoginTokenAsync(string email, IReadOnlySet<string>? before = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var mail in (await Inbox.MailsToAsync(email)).Where(m => before?.Contains(m.Id) != true).OrderByDescending(m => m.ReceivedDate))
            {
                var match = LoginToken().Match(await Inbox.PlainTextAsync(mail.Id));
                if (match.Success)
                {
                    return match.Groups[1].Value;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"No login link reached {email} within 30 s.");
        return "";
    }

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
    }
}

[CollectionDefinition(nameof(ShiftsSystemCollection))]
public sealed class ShiftsSystemCollection : ICollectionFixture<ShiftsSystem>;
