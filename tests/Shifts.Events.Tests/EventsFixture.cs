using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Events.Tests;

/// <summary>
/// The events service on a real port with its own database and RabbitMQ vhost, plus a test-side
/// bus that plays the volunteers service (publishes organisation and volunteer events into the
/// replica) and records every integration event the events service publishes.
/// </summary>
public sealed class EventsFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<EventsService> _events = null!;
    private IBusControl _bus = null!;

    /// <summary>Where people reach the system: the origin of feed URLs and of the links in calendar entries.</summary>
    public const string PublicBaseUrl = "https://shifts.example.org";

    public TestTokens Tokens { get; } = new();

    public Uri Address { get; private set; } = null!;

    public NpgsqlDataSource Db { get; private set; } = null!;

    /// <summary>The service's own services (to drive a background worker such as the gap detector directly).</summary>
    public IServiceProvider Services => _events.Services;

    /// <summary>The test-side bus (as the other services would use it: publish, request/response).</summary>
    public IBus Bus => _bus;

    /// <summary>Every integration event received from the events service, with its MessageId.</summary>
    private readonly MessageRecorder _recorder = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("events", create: false);
        _broker = await TestBroker.CreateAsync("events");

        // The recorder binds its queue before the service starts publishing.
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(_broker.Uri);
            rabbit.ReceiveEndpoint("test-recorder", endpoint =>
            {
                _recorder.Record<ShiftClaimed>(endpoint);
                _recorder.Record<ClaimCancelled>(endpoint);
                _recorder.Record<WaitlistJoined>(endpoint);
                _recorder.Record<WaitlistPromoted>(endpoint);
                _recorder.Record<EventPublished>(endpoint);
                _recorder.Record<EventPostponed>(endpoint);
                _recorder.Record<EventRescheduled>(endpoint);
                _recorder.Record<EventCancelled>(endpoint);
                _recorder.Record<ShiftCreated>(endpoint);
                _recorder.Record<ShiftChanged>(endpoint);
                _recorder.Record<ShiftCancelled>(endpoint);
                _recorder.Record<ShiftsUnderstaffed>(endpoint);
                _recorder.Record<EventMessagePosted>(endpoint);
                _recorder.Record<ShiftInvitationSent>(endpoint);
            });
        });
        await _bus.StartAsync();

        _events = new ServiceFactory<EventsService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = _database.ConnectionString,
            ["RabbitMq:Uri"] = _broker.Uri.ToString(),
            ["Auth:PublicKeys"] = Tokens.PublicJwks,
            ["Shifts:PublicBaseUrl"] = PublicBaseUrl,
        });
        Address = _events.Start();
        Db = _database.CreateDataSource();
    }


    /// <summary>A client that calls the service with the given access token (or none).</summary>
    public HttpClient Client(string? token = null) => ServiceClients.For(Address, token);

    /// <summary>Publishes as the volunteers service would, then waits until the replica shows it.</summary>
    public async Task PublishAsync<T>(T message) where T : class => await _bus.Publish(message);

    /// <summary>Publishes and waits until the service has processed the message (its inbox row committed with the effect).</summary>
    public async Task PublishAndWaitAsync<T>(T message) where T : class
    {
        var id = NewId.NextGuid();
        await _bus.Publish(message, context => context.MessageId = id);
        await WaitUntilAsync("SELECT count(*) FROM inbox_messages WHERE message_id = @p", id, 1);
    }

    /// <summary>A new organisation in the replica, with the default settings unless given.</summary>
    public async Task<string> CreateOrganisationAsync(string? timeZone = null, TimeSpan? cancellationDeadline = null)
    {
        var slug = $"org-{Guid.NewGuid():N}"[..16];
        await _bus.Publish(new OrganisationRegistered(Guid.NewGuid(), slug, $"Org {slug}", timeZone ?? "Europe/Berlin",
            cancellationDeadline ?? TimeSpan.FromHours(24), [TimeSpan.FromHours(48), TimeSpan.FromHours(24)]));
        await WaitUntilAsync("SELECT count(*) FROM organisations WHERE slug = @p", slug, 1);
        return slug;
    }

    /// <summary>A qualification the organisation recognises, as the volunteers service announces it (a shift may then require it).</summary>
    public async Task AddQualificationAsync(string org, string code)
    {
        await _bus.Publish(new QualificationAdded(org, code, code));
        await WaitUntilAsync($"SELECT count(*) FROM organisation_qualifications WHERE org = @p AND code = '{code}'", org, 1);
    }

    /// <summary>A volunteer with a role (and qualifications) in the organisation, known to the replica; returns the id and a token.</summary>
    public async Task<(Guid Id, string Token)> CreateMemberAsync(string org, string role = "helper", params string[] qualifications)
    {
        var id = Guid.NewGuid();
        var name = $"Volunteer {id.ToString()[..8]}";
        await _bus.Publish(new VolunteerRegistered(id, name, $"{id:N}@example.org", "de"));
        await _bus.Publish(new MembershipChanged(id, org, role));
        if (qualifications.Length > 0)
        {
            await _bus.Publish(new QualificationsChanged(id, org, qualifications));
            await WaitUntilAsync("SELECT count(*) FROM qualifications WHERE volunteer_id = @p", id, qualifications.Length);
        }

        await WaitUntilAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @p", id, 1);
        await WaitUntilAsync("SELECT count(*) FROM volunteers WHERE id = @p AND display_name <> ''", id, 1);
        return (id, Tokens.Mint(id, name, [(org, role)]));
    }

    /// <summary>
    /// Gives people a role in the organisation the way production does: MembershipChanged over the
    /// bus, as the volunteers service publishes it; waits until the replica holds all of them. The
    /// service authorises from that replica, never from the token's memberships.
    /// </summary>
    public async Task GrantAsync(string org, string role, params Guid[] volunteerIds)
    {
        foreach (var chunk in volunteerIds.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(id => _bus.Publish(new MembershipChanged(id, org, role))));
        }

        await WaitUntilAsync("SELECT count(*) FROM memberships WHERE org = @p AND role = '" + role + "' AND volunteer_id = ANY(@ids)", org, volunteerIds.Length, volunteerIds);
    }

    /// <summary>Polls a count query until it reaches <paramref name="expected"/> (the replica is eventually consistent).</summary>
    public async Task WaitUntilAsync(string countSql, object parameter, long expected, Guid[]? ids = null) =>
        await Eventually.Async(async () =>
        {
            await using var command = Db.CreateCommand(countSql);
            command.Parameters.AddWithValue("p", parameter);
            if (ids is not null)
            {
                command.Parameters.AddWithValue("ids", ids);
            }

            return (long)(await command.ExecuteScalarAsync())!;
        }, count => count >= expected, TimeSpan.FromSeconds(20), $"'{countSql}' to reach {expected}");

    /// <summary>Messages of one type received so far that match.</summary>
    public IReadOnlyList<(Guid MessageId, T Message)> Received<T>(Func<T, bool>? match = null) => _recorder.Received(match);

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived, then returns all of them.</summary>
    public Task<IReadOnlyList<(Guid MessageId, T Message)>> ReceivedAsync<T>(Func<T, bool> match, int count = 1, TimeSpan? timeout = null) =>
        _recorder.ReceivedAsync(match, count, timeout);

    public async Task DisposeAsync()
    {
        await _events.DisposeAsync();
        await _bus.StopAsync();
        await Db.DisposeAsync();
        Tokens.Dispose();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

[CollectionDefinition(nameof(EventsCollection))]
public sealed class EventsCollection : ICollectionFixture<EventsFixture>;
