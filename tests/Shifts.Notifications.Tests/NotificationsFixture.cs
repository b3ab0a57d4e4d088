using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Notifications.Tests;

/// <summary>A person the service knows: the id, the address (unique to the test, since smtp4dev is shared) and the name.</summary>
public sealed record Volunteer(Guid Id, string Email, string Name);

/// <summary>
/// The notifications service on a real port with its own database and RabbitMQ vhost, mailing to
/// smtp4dev, plus a test-side bus that plays the other services: it publishes what the volunteers
/// and events services would, and answers NewcomerShiftsRequested as the events service will.
/// </summary>
public class NotificationsFixture : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://shifts.example.org";

    private readonly List<IAsyncDisposable> _owned = [];
    private IBusControl _bus = null!;
    private ServiceFactory<NotificationsService>? _service;

    public TestTokens Tokens { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public TestDatabase Database { get; private set; } = null!;

    public TestBroker Broker { get; private set; } = null!;

    public NpgsqlDataSource Db { get; private set; } = null!;

    public SmtpInbox Inbox { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>What the stand-in events service answers per organisation; an organisation in <see cref="SilentOrganisations"/> gets no answer.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<ShiftDetails>> NewcomerShifts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> SilentOrganisations { get; } = new(StringComparer.Ordinal);

    /// <summary>The service's clock, where the fixture controls time (null: the system clock).</summary>
    public virtual Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock => null;

    public async Task InitializeAsync()
    {
        Database = Own(await TestDatabase.CreateAsync("notif", create: false));
        Broker = Own(await TestBroker.CreateAsync("notif"));
        Inbox = await SmtpInbox.ConnectAsync();

        // The responder binds its queue before the service starts asking.
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(Broker.Uri);
            rabbit.ReceiveEndpoint("test-events-service", endpoint => endpoint.Handler<NewcomerShiftsRequested>(async context =>
            {
                if (!SilentOrganisations.ContainsKey(context.Message.Org))
                {
                    await context.RespondAsync(new NewcomerShiftsListed(context.Message.Org, NewcomerShifts.GetValueOrDefault(context.Message.Org) ?? []));
                }
            }));
        });
        await _bus.StartAsync();

        await BeforeServiceStartsAsync();
        await StartServiceAsync();
        Db = Database.CreateDataSource();
    }

    /// <summary>For fixtures that put something between the service and its servers (a TCP proxy).</summary>
    protected virtual Task BeforeServiceStartsAsync() => Task.CompletedTask;

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Starts the service (again, after <see cref="StopServiceAsync"/>) on the same database and broker.</summary>
    public async Task StartServiceAsync()
    {
        var servers = await TestServers.GetAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = Database.ConnectionString,
            ["RabbitMq:Uri"] = Broker.Uri.ToString(),
            ["Smtp:Host"] = servers.SmtpHost,
            ["Smtp:Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Shifts:PublicBaseUrl"] = PublicBaseUrl,
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
            ["Reminders:PollInterval"] = "00:00:00.200",
            ["Welcome:NewcomerShiftsTimeout"] = "00:00:02",
        };
        Configure(settings);
        _service = new ServiceFactory<NotificationsService>(settings, services: services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            if (Clock is { } clock)
            {
                services.AddSingleton<TimeProvider>(clock);
            }
        });
        Address = _service.Start();
    }

    public async Task StopServiceAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
            _service = null;
        }
    }

    /// <summary>A client that calls the service with the given access token (or none).</summary>
    public HttpClient Client(string? token = null) => ServiceClients.For(Address, token);

    /// <summary>Publishes as another service would; with a message id of the test's choosing when given (a redelivery has the same one).</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        await _bus.Publish(message, context => context.MessageId = id);
        return id;
    }

    /// <summary>Asks the service over the bus, as another service would (request/response).</summary>
    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request) where TRequest : class where TResponse : class
    {
        var client = _bus.CreateRequestClient<TRequest>(RequestTimeout.After(s: 20));
        return (await client.GetResponse<TResponse>(request)).Message;
    }

    /// <summary>Publishes and waits until the service has processed the message (its inbox row committed with the effect).</summary>
    public async Task<Guid> PublishAndWaitAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = await PublishAsync(message, messageId);
        await WaitUntilAsync("SELECT count(*) FROM inbox_messages WHERE message_id = @p", id, 1);
        return id;
    }

    /// <summary>A new organisation in the replica.</summary>
    public async Task<string> CreateOrganisationAsync(string timeZone = "Europe/Berlin")
    {
        var slug = $"org-{Guid.NewGuid():N}"[..16];
        await PublishAndWaitAsync(new OrganisationRegistered(Guid.NewGuid(), slug, $"Ortsverein {slug[4..10]}", timeZone,
            TimeSpan.FromHours(24), [TimeSpan.FromHours(48), TimeSpan.FromHours(24)]));
        return slug;
    }

    /// <summary>A person known to the replica, with preferences and a membership when given.</summary>
    public async Task<Volunteer> CreateVolunteerAsync(string locale = "de", NotificationPreferences? preferences = null, string? org = null, string role = "helper")
    {
        var id = Guid.NewGuid();
        var volunteer = new Volunteer(id, $"v-{id:N}@notifications.test", $"Helfer {id.ToString()[..6]}");
        await PublishAndWaitAsync(new VolunteerRegistered(id, volunteer.Name, volunteer.Email, locale));
        if (preferences is not null)
        {
            await PublishAndWaitAsync(new VolunteerProfileChanged(id, volunteer.Name, volunteer.Email, locale, preferences));
        }

        if (org is not null)
        {
            await PublishAndWaitAsync(new MembershipChanged(id, org, role));
        }

        return volunteer;
    }

    /// <summary>A shift of an event in the organisation, starting at <paramref name="startsAt"/>.</summary>
    public static ShiftDetails Shift(string org, DateTimeOffset startsAt, TimeSpan? length = null, string title = "Infostand aufbauen",
        string eventTitle = "Sommerfest am Weserwehr", Guid? eventId = null) =>
        new(Guid.NewGuid(), eventId ?? Guid.NewGuid(), org, eventTitle, title, startsAt, startsAt + (length ?? TimeSpan.FromHours(2)),
            "Weserwehr", "Am Weserwehr 1, Bremen");

    /// <summary>A local wall-clock time in a zone as an instant (UTC).</summary>
    public static DateTimeOffset Local(DateTime local, string zone = "Europe/Berlin")
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// Mails to the address whose subject contains <paramref name="subject"/>, waiting until
    /// <paramref name="count"/> arrived; after the timeout (zero: one look), what is there, for the
    /// caller's assertion to judge.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsAsync(string address, string subject, int count = 1, TimeSpan? timeout = null)
    {
        async Task<IReadOnlyList<ReceivedMail>> Look() =>
            (await Inbox.MailsToAsync(address)).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).ToList();

        try
        {
            return await Eventually.Async(Look, mails => mails.Count >= count, timeout ?? TimeSpan.FromSeconds(30), $"{count} mail(s) to {address} about '{subject}'");
        }
        catch (TimeoutException)
        {
            return await Look();
        }
    }

    /// <summary>The delivery rows to a person: kind and status, oldest first.</summary>
    public async Task<IReadOnlyList<(string Kind, string Status)>> DeliveriesToAsync(Guid volunteerId)
    {
        await using var command = Db.CreateCommand("SELECT kind, status FROM deliveries WHERE recipient_id = @id ORDER BY created_at, id");
        command.Parameters.AddWithValue("id", volunteerId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>A claim's reminder schedule: lead, due time and status, by lead.</summary>
    public async Task<IReadOnlyList<(TimeSpan Lead, DateTimeOffset DueAt, string Status)>> RemindersAsync(Guid claimId)
    {
        await using var command = Db.CreateCommand("SELECT lead, due_at, status FROM reminders WHERE claim_id = @id ORDER BY lead");
        command.Parameters.AddWithValue("id", claimId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(TimeSpan, DateTimeOffset, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<TimeSpan>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>An instant as PostgreSQL keeps it (microseconds), to compare with what it returns.</summary>
    public static DateTimeOffset Stored(DateTimeOffset instant) => new(instant.UtcTicks - instant.UtcTicks % 10, TimeSpan.Zero);

    public async Task<long> CountAsync(string sql, object parameter)
    {
        await using var command = Db.CreateCommand(sql);
        command.Parameters.AddWithValue("p", parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a count query until it reaches <paramref name="expected"/> (everything here is eventually consistent).</summary>
    public async Task WaitUntilAsync(string countSql, object parameter, long expected, TimeSpan? timeout = null)
    {
        await Eventually.Async(() => CountAsync(countSql, parameter), count => count >= expected, timeout ?? TimeSpan.FromSeconds(20),
            $"'{countSql}' to reach {expected}");
    }

    protected T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        await StopServiceAsync();
        await _bus.StopAsync();
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        Inbox?.Dispose();
        Tokens.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}

/// <summary>The service with a clock the tests move (FakeTimeProvider), for reminders.</summary>
public sealed class ClockFixture : NotificationsFixture
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public override Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock => _clock;
}

[CollectionDefinition(nameof(NotificationsCollection))]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>;

[CollectionDefinition(nameof(ClockCollection))]
public sealed class ClockCollection : ICollectionFixture<ClockFixture>;
