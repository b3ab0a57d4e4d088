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
public sealed class ShiftsSystem : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@example.org";

    public List<Activity> Spans { get; } = [];

    public HttpClient Gateway { get; private set; } = null!;

    public Uri VolunteersAddress { get; private set; } = null!;

    public Uri EventsAddress { get; private set; } = null!;

    public Uri NotificationsAddress { get; private set; } = null!;

    public SmtpInbox Inbox { get; private set; } = null!;

    /// <summary>Connection strings of the three services' databases (for checks that scan them whole).</summary>
    public IReadOnlyList<string> Databases { get; private set; } = [];

    /// <summary>Mints access tokens the services trust (through Auth:PublicKeys).</summary>
    public TestTokens Tokens { get; } = new();

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var broker = Own(await TestBroker.CreateAsync("e2e"));
        Inbox = await SmtpInbox.ConnectAsync();

        // Every service validates real tokens against the volunteers service's published keys, and
        // tokens minted by the tests against Auth:PublicKeys; so the volunteers port is chosen first.
        var volunteersPort = ServiceFactory<VolunteersService>.FreePort();
        var authority = $"http://127.0.0.1:{volunteersPort}";

        Dictionary<string, string?> Settings(TestDatabase database) => new()
        {
            ["Auth:Authority"] = authority,
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Uri"] = broker.Uri.ToString(),
            ["Smtp:Host"] = servers.SmtpHost,
            ["Smtp:Port"] = servers.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Shifts:PublicBaseUrl"] = "http://localhost:8080",
            ["Shifts:Bootstrap:AdminEmail"] = AdminEmail,
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
            // Every test logs in from 127.0.0.1; the login rate limits are proven in Shifts.Volunteers.Tests.
            ["RateLimits:LinksPerAddress"] = "1000",
            ["RateLimits:LinksPerClient"] = "100000",
            ["RateLimits:SessionsPerClient"] = "100000",
        };

        // Databases are not created here: each service's migrator creates its own.
        var volunteersDb = Own(await TestDatabase.CreateAsync("vol", create: false));
        var eventsDb = Own(await TestDatabase.CreateAsync("evt", create: false));
        var notificationsDb = Own(await TestDatabase.CreateAsync("not", create: false));

        Databases = [volunteersDb.ConnectionString, eventsDb.ConnectionString, notificationsDb.ConnectionString];

        // Consumers first, so their queues are bound before anything is published.
        NotificationsAddress = Own(new ServiceFactory<NotificationsService>(Settings(notificationsDb))).Start();
        EventsAddress = Own(new ServiceFactory<EventsService>(Settings(eventsDb))).Start();
        VolunteersAddress = Own(new ServiceFactory<VolunteersService>(Settings(volunteersDb), port: volunteersPort)).Start();

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
