using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Shifts.Messaging;

/// <summary>
/// Lets the replicas of one service start their bus one at a time, under a PostgreSQL advisory
/// lock in the service's own database (as the migrations do).
/// </summary>
/// <remarks>
/// Starting the bus declares the service's quorum queues and starts consuming from them. When two
/// replicas do that for a queue that does not exist yet at the same moment, RabbitMQ (seen with
/// 3.10) may crash the channel of one of them (<c>{badmatch,{error,noproc}}</c> in
/// <c>rabbit_quorum_queue:consume</c>) and close its whole connection, and that replica's bus
/// start then never finishes: it hung <c>TwoReplicasTests</c>, and would hang a rollout of new
/// pods on a fresh broker. Taking turns costs a replica the other's bus start (well under a second)
/// and only at start. The gate is a precaution, not a guarantee anything depends on: a replica
/// that waits longer than <c>RabbitMq:StartTimeout</c> goes ahead without it.
/// </remarks>
internal sealed partial class BusStartGate(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<BusStartGate> logger) : IAsyncDisposable
{
    private const long BusStartLockKey = 0x5348494654535f42; // "SHIFTS_B"
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private NpgsqlConnection? _holder;

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        var patience = configuration.GetValue("RabbitMq:StartTimeout", TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow + patience;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = await UntilTakenOr(deadline).ExecuteAsync(async token => await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key = BusStartLockKey }, cancellationToken: token)), cancellationToken);
            if (!taken)
            {
                LogGaveUpWaiting(logger, patience.TotalSeconds);
                await connection.DisposeAsync();
                return;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _holder = connection;
    }

    /// <summary>
    /// Asks for the lock again every <see cref="Poll"/> while another replica holds it, until the
    /// deadline; a fault (the database away) is not retried here but fails the start, as before.
    /// </summary>
    private static ResiliencePipeline<bool> UntilTakenOr(DateTime deadline) => new ResiliencePipelineBuilder<bool>()
        .AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false } && DateTime.UtcNow <= deadline),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = Poll,
        })
        .Build();

    /// <summary>Releases the lock (closing the session releases it too, also when the process dies).</summary>
    public async Task ExitAsync()
    {
        var holder = Interlocked.Exchange(ref _holder, null);
        if (holder is null)
        {
            return;
        }

        try
        {
            await holder.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = BusStartLockKey }));
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its lock with it.
        }
        finally
        {
            await holder.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await ExitAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another replica held the bus start lock for over {Seconds} s; starting the bus without it")]
    private static partial void LogGaveUpWaiting(ILogger logger, double seconds);

    /// <summary>Registered just before MassTransit's hosted service: waits for this replica's turn.</summary>
    internal sealed class Enter(BusStartGate gate) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => gate.EnterAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => gate.ExitAsync();
    }

    /// <summary>Registered just after MassTransit's hosted service, which returns once the bus is up.</summary>
    internal sealed class Exit(BusStartGate gate) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => gate.ExitAsync();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
