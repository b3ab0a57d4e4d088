using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// Wakes a polling worker (the outbox relay, the mail dispatcher) in this process as soon as a
/// transaction that wrote work for it has committed, so a claim's message leaves at once; the
/// worker's poll interval is what finds work committed by other replicas (or written by hand).
/// <para>
/// This replaces a <c>pg_notify</c> inside the writing transaction. PostgreSQL serialises the
/// commits of all transactions that notified (one global lock, held while the commit is flushed),
/// so a NOTIFY in every claim made the claims queue behind each other's fsync: measured on the
/// claim transaction alone, about a third of the throughput without it (bench/README.md). An
/// in-process signal after the commit costs nothing, and is what MassTransit's own bus outbox does.
/// </para>
/// <para>
/// Work that is written calls <see cref="After"/> with the transaction; the code that commits calls
/// <see cref="CommitAndWakeAsync"/>, which commits and then wakes every worker of this process
/// waiting on the same database and channel. A commit that fails wakes nobody (nothing is there
/// to find). A transaction committed some other way wakes nobody either, and its work is found
/// by the next poll: nothing is lost, only later.
/// </para>
/// </summary>
public sealed class CommitWakeup : IDisposable
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<CommitWakeup, byte>> Waiting = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<NpgsqlTransaction, HashSet<string>> Pending = [];

    private readonly string _key;
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>A worker's wake-up for the work written to <paramref name="channel"/> in the data source's database.</summary>
    public CommitWakeup(NpgsqlDataSource dataSource, string channel)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _key = Key(builder.Host, builder.Port, builder.Database, channel);
        Waiting.GetOrAdd(_key, _ => new ConcurrentDictionary<CommitWakeup, byte>()).TryAdd(this, 0);
    }

    /// <summary>Records that <paramref name="transaction"/> wrote work for the workers of <paramref name="channel"/>.</summary>
    public static void After(NpgsqlTransaction transaction, string channel)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has completed already.");
        var channels = Pending.GetOrCreateValue(transaction);
        lock (channels)
        {
            channels.Add(Key(connection.Host, connection.Port, connection.Database, channel));
        }
    }

    /// <summary>Commits the transaction, then wakes the workers of this process its work is for.</summary>
    public static async Task CommitAndWakeAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await transaction.CommitAsync(cancellationToken);
        if (!Pending.TryGetValue(transaction, out var channels))
        {
            return;
        }

        Pending.Remove(transaction);
        string[] keys;
        lock (channels)
        {
            keys = [.. channels];
        }

        foreach (var key in keys)
        {
            if (Waiting.TryGetValue(key, out var workers))
            {
                foreach (var worker in workers.Keys)
                {
                    worker.Signal();
                }
            }
        }
    }

    /// <summary>Waits for a wake-up or the timeout, whichever comes first, and swallows the backlog of wake-ups.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (_signal.CurrentCount > 0)
        {
            _signal.Wait(0, CancellationToken.None);
        }
    }

    /// <summary>A delay that ends early, without throwing, when the host stops.</summary>
    public static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public void Dispose()
    {
        if (Waiting.TryGetValue(_key, out var workers))
        {
            workers.TryRemove(this, out _);
        }

        _signal.Dispose();
    }

    private void Signal()
    {
        // One pending wake-up is enough: the worker drains everything due when it wakes.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // the worker stopped meanwhile
            }
        }
    }

    private static string Key(string? host, int port, string? database, string channel) =>
        $"{host?.ToLowerInvariant()}:{port}/{database}#{channel}";
}
