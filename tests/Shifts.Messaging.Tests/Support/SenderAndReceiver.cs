using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Database;
using Shifts.Testing;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests.Support;

public sealed class SenderAndReceiverOptions
{
    /// <summary>How many replicas of the sending service relay its outbox side by side.</summary>
    public int Relays { get; init; } = 1;

    /// <summary>Adjusts the relay options of the sending replica with the given number (0, 1, …).</summary>
    public Action<int, OutboxRelayOptions>? Relay { get; init; }

    /// <summary>The receiving service's consumer fails every delivery.</summary>
    public bool ReceiverRefuses { get; init; }

    /// <summary>The receiving service's consumer meets a database outage on the first this-many deliveries of each message.</summary>
    public int ReceiverDatabaseAwayFor { get; init; }

    /// <summary>
    /// When set, the sending replicas reach RabbitMQ through <see cref="SenderAndReceiver.SenderBrokerProxy"/>
    /// (so a test can cut them off the broker), and this sees each piece they send before it is passed on.
    /// </summary>
    public Func<int, ReadOnlyMemory<byte>, Task>? SenderToBroker { get; init; }
}

/// <summary>
/// Two services as in production, each with its own database, talking over their own RabbitMQ
/// virtual host: "sender" registers volunteers and writes LoginLinkRequested into its outbox in
/// the same transaction; "receiver" consumes it with <see cref="RecordingConsumer"/>.
/// </summary>
public sealed class SenderAndReceiver : IAsyncDisposable
{
    public const string ReceiverService = "receiver";

    /// <summary>The receiving endpoint's queue: the kebab-case consumer name prefixed with the service.</summary>
    public const string ReceiverQueue = "receiver-recording";

    private readonly List<IHost> _hosts = [];
    private readonly List<IAsyncDisposable> _resources = [];

    private SenderAndReceiver(Deliveries deliveries) => Deliveries = deliveries;

    public Deliveries Deliveries { get; }

    public TestBroker Broker { get; private set; } = null!;

    public NpgsqlDataSource SenderDatabase { get; private set; } = null!;

    public NpgsqlDataSource ReceiverDatabase { get; private set; } = null!;

    /// <summary>The proxy between the sending replicas and RabbitMQ, when asked for.</summary>
    public TcpProxy? SenderBrokerProxy { get; private set; }

    public static async Task<SenderAndReceiver> StartAsync(string purpose, ITestOutputHelper output, SenderAndReceiverOptions? options = null)
    {
        options ??= new SenderAndReceiverOptions();
        var services = new SenderAndReceiver(new Deliveries { Refuse = options.ReceiverRefuses, DatabaseAwayFor = options.ReceiverDatabaseAwayFor });
        try
        {
            await services.StartHostsAsync(purpose, output, options);
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private async Task StartHostsAsync(string purpose, ITestOutputHelper output, SenderAndReceiverOptions options)
    {
        Broker = await TestBroker.CreateAsync(purpose);
        _resources.Add(Broker);
        var senderDatabase = await TestDatabase.CreateAsync($"{purpose}_sender");
        _resources.Add(senderDatabase);
        var receiverDatabase = await TestDatabase.CreateAsync($"{purpose}_receiver");
        _resources.Add(receiverDatabase);
        SenderDatabase = senderDatabase.CreateDataSource();
        ReceiverDatabase = receiverDatabase.CreateDataSource();

        // The receiver first: its queue must be bound before anything is published, or RabbitMQ
        // would route the first messages nowhere (as in production, where consumers deploy first).
        await StartHostAsync(TestHosts.Build(ReceiverService, receiverDatabase, output, Broker,
            bus => bus.AddConsumer<RecordingConsumer>(),
            s => s.AddSingleton(Deliveries)));

        Uri? senderBrokerUri = null;
        if (options.SenderToBroker is not null)
        {
            SenderBrokerProxy = new TcpProxy(Broker.Uri.Host, Broker.Uri.Port, options.SenderToBroker);
            _resources.Add(SenderBrokerProxy);
            senderBrokerUri = SenderBrokerProxy.AddressFor(Broker.Uri);
        }

        for (var relay = 0; relay < options.Relays; relay++)
        {
            var number = relay;
            await StartHostAsync(TestHosts.Build("sender", senderDatabase, output, Broker,
                services: s => s.PostConfigure<OutboxRelayOptions>(o => options.Relay?.Invoke(number, o)),
                brokerUri: senderBrokerUri));
        }
    }

    private async Task StartHostAsync(IHost host)
    {
        _hosts.Add(host);
        await host.StartAsync();
    }

    public static LoginLinkRequested LoginLink(string email) => new(
        Guid.NewGuid(),
        email,
        "Test Volunteer",
        "en",
        new Uri($"https://shifts.example/login/{Guid.NewGuid():N}"),
        new DateTimeOffset(2030, 5, 1, 12, 15, 0, TimeSpan.FromHours(2)));

    /// <summary>
    /// The sending service's business change: a registration row and its event in one transaction,
    /// committed or rolled back. Returns the outbox message id.
    /// </summary>
    /// <param name="wake">
    /// Commit as the services do (CommitWakeup: the relays of this process wake at once); false
    /// commits plainly, as another process would, so the rows are found by the relay's poll.
    /// </param>
    public async Task<Guid> RegisterAsync(LoginLinkRequested message, bool commit = true, bool wake = false) =>
        (await RegisterAsync([message], commit, wake))[0];

    public async Task<IReadOnlyList<Guid>> RegisterAsync(IReadOnlyList<LoginLinkRequested> messages, bool commit = true, bool wake = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await SenderDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = new List<Guid>(messages.Count);
        foreach (var message in messages)
        {
            await connection.ExecuteAsync(
                "INSERT INTO registrations (volunteer_id, email) VALUES (@VolunteerId, @Email)",
                new { message.VolunteerId, message.Email },
                transaction);
            ids.Add(await Outbox.Outbox.EnqueueAsync(transaction, message));
        }

        if (commit && wake)
        {
            await CommitWakeup.CommitAndWakeAsync(transaction, CancellationToken.None);
        }
        else if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        return ids;
    }

    public async Task<bool> RegistrationExistsAsync(Guid volunteerId)
    {
        await using var connection = await SenderDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM registrations WHERE volunteer_id = @volunteerId)", new { volunteerId });
    }

    /// <summary>The outbox row of a message: whether it exists and when it was marked sent.</summary>
    public async Task<(bool Exists, DateTimeOffset? SentAt)> OutboxRowAsync(Guid messageId)
    {
        await using var command = SenderDatabase.CreateCommand("SELECT sent_at FROM outbox_messages WHERE id = @messageId");
        command.Parameters.AddWithValue("messageId", messageId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return (false, null);
        }

        return (true, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0));
    }

    public async Task<long> UnsentCountAsync()
    {
        await using var connection = await SenderDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
    }

    /// <summary>Effect rows the receiver wrote for a message; more than one would be a duplicate effect.</summary>
    public async Task<long> EffectsOfAsync(Guid messageId)
    {
        await using var connection = await ReceiverDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM effects WHERE message_id = @messageId", new { messageId });
    }

    public async Task<long> InboxRowsOfAsync(Guid messageId)
    {
        await using var connection = await ReceiverDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @messageId", new { messageId });
    }

    public async ValueTask DisposeAsync()
    {
        // Senders before the receiver, hosts before their databases and the broker.
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await TestHosts.StopAsync(host);
        }

        if (SenderDatabase is not null)
        {
            await SenderDatabase.DisposeAsync();
        }

        if (ReceiverDatabase is not null)
        {
            await ReceiverDatabase.DisposeAsync();
        }

        foreach (var resource in Enumerable.Reverse(_resources))
        {
            await resource.DisposeAsync();
        }
    }
}
