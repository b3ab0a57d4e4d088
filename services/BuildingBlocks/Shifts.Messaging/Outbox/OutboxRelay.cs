using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Shifts.Contracts;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Messaging.Outbox;

/// <summary>The outbox relay's settings (section <c>Outbox</c>), checked at start.</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>What <see cref="IsValid"/> demands, naming the settings.</summary>
    public const string Rule = "Outbox:BatchSize must be 1 to 10000, and Outbox:PollInterval, Outbox:PublishTimeout, Outbox:Retention, "
                               + "Outbox:InboxRetention and Outbox:CleanupInterval longer than zero.";

    /// <summary>Rows taken per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often the relay looks for rows nobody woke it for: rows committed by another replica
    /// (each replica wakes only its own relay, see CommitWakeup), or written by hand. Also the
    /// pause before a failed round is tried again.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sent rows are kept this long (for diagnosis), then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows are kept this long. A duplicate arrives within minutes (a redelivery, a relay
    /// that died before marking sent); a month is far beyond any redelivery.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one publish may wait for the broker's confirm (and, while the connection is away,
    /// for MassTransit to reconnect) before the relay gives up on its batch and takes the rows
    /// again. A confirm normally comes within milliseconds; but when the connection dies while a
    /// publish waits for it, the RabbitMQ client can leave that wait hanging for good (found by
    /// BrokerCutTests; rabbitmq-dotnet-client issue 1930), and the relay would stop with it.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Fault injection for tests and chaos runs: called after a batch is published and before it is
    /// marked sent. Throwing here is exactly a relay that died at that moment.
    /// </summary>
    public Func<IReadOnlyList<Guid>, Task>? BeforeMarkSent { get; set; }

    public static bool IsValid(OutboxRelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BatchSize is >= 1 and <= 10_000
               && options.PollInterval > TimeSpan.Zero
               && options.PublishTimeout > TimeSpan.Zero
               && options.Retention > TimeSpan.Zero
               && options.InboxRetention > TimeSpan.Zero
               && options.CleanupInterval > TimeSpan.Zero;
    }
}

/// <summary>
/// Publishes unsent outbox rows to RabbitMQ. Rows are locked with FOR UPDATE SKIP LOCKED, so any
/// number of replicas relay side by side without publishing the same row concurrently; a row is
/// marked sent only after the broker confirmed it, so a crash can duplicate a message, never lose it.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<OutboxRelayOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly Dictionary<string, Type> ContractTypes = typeof(LoginLinkRequested).Assembly
        .GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false })
        .ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    private readonly CommitWakeup _wakeup = new(dataSource, Outbox.Channel);
    private readonly ResiliencePipeline<int> _untilBackUp = UntilBackUp(options.Value, logger);
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await _untilBackUp.ExecuteAsync(async token =>
                {
                    var count = await RelayBatchAsync(token);
                    await CleanupIfDueAsync(token);
                    return count;
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (published < settings.BatchSize)
            {
                // A full batch means more may be waiting: go again at once. Otherwise sleep until
                // a commit in this process wakes us or the poll interval passes.
                await _wakeup.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>
    /// A round that fails (the broker or the database is away) is logged and tried again after a
    /// poll interval, for as long as it takes: the rows stay unsent and are taken again, and a
    /// relay that gave up would leave committed messages unpublished. Only stopping ends it.
    /// </summary>
    private static ResiliencePipeline<int> UntilBackUp(OutboxRelayOptions settings, ILogger logger) => new ResiliencePipelineBuilder<int>()
        .AddRetry(new RetryStrategyOptions<int>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = settings.PollInterval,
            OnRetry = args =>
            {
                LogRelayFailed(logger, args.Outcome.Exception!.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Publishes one batch; returns how many rows it published.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        const string take = """
            SELECT id AS Id, message_type AS Type, body::text AS Body, trace_parent AS TraceParent
            FROM outbox_messages
            WHERE sent_at IS NULL
            ORDER BY position
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """;
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            take, new { batch = settings.BatchSize }, transaction, cancellationToken: cancellationToken))).ToList();

        if (rows.Count == 0)
        {
            return 0;
        }

        // In order, one confirm at a time: consumers see a claim before its cancellation.
        foreach (var row in rows)
        {
            await PublishAsync(row.Id, row.Type, row.Body, row.TraceParent, cancellationToken);
        }

        var ids = rows.Select(r => r.Id).ToArray();
        if (settings.BeforeMarkSent is { } fault)
        {
            await fault(ids);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET sent_at = @now WHERE id = ANY(@ids)", new { now = time.GetUtcNow(), ids }, transaction, cancellationToken: cancellationToken));

        await CommitWakeup.CommitAndWakeAsync(transaction, cancellationToken);
        LogPublished(logger, rows.Count);
        return rows.Count;
    }

    private async Task PublishAsync(Guid id, string typeName, string body, string? traceParent, CancellationToken cancellationToken)
    {
        if (!ContractTypes.TryGetValue(typeName, out var type))
        {
            // A row written by a newer version of this service; an older relay must not drop it.
            throw new InvalidOperationException($"Outbox row {id} has unknown message type {typeName}.");
        }

        var message = JsonSerializer.Deserialize(body, type, Outbox.Json)!;
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = ShiftsTelemetry.Source.StartActivity($"outbox relay {type.Name}", ActivityKind.Internal, parent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            await bus.Publish(message, type, context => context.MessageId = id, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The message may or may not have reached the broker: its row stays unsent and is
            // published again (consumers' inboxes drop the duplicate).
            throw new TimeoutException($"The broker did not confirm outbox message {id} within {options.Value.PublishTimeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now + options.Value.CleanupInterval;
        // The inbox lives in the same database and ages the same way, so the relay cleans both.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM outbox_messages WHERE sent_at < @outboxBefore;
            DELETE FROM inbox_messages WHERE processed_at < @inboxBefore;
            """, new { outboxBefore = now - options.Value.Retention, inboxBefore = now - options.Value.InboxRetention }, cancellationToken: cancellationToken));
        if (deleted > 0)
        {
            LogCleaned(logger, deleted);
        }
    }

    private sealed record OutboxRow(Guid Id, string Type, string Body, string? TraceParent);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox relay published {Count} messages")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish; will retry: {Reason}")]
    private static partial void LogRelayFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup deleted {Count} old outbox and inbox rows")]
    private static partial void LogCleaned(ILogger logger, int count);

    public override void Dispose()
    {
        _wakeup.Dispose();
        base.Dispose();
    }
}
