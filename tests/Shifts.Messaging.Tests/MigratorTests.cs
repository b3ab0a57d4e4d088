using Dapper;
using Microsoft.Extensions.Hosting;
using Shifts.Messaging.Tests.Support;
using Shifts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests;

/// <summary>Replicas starting together share one database; the migrator's advisory lock lets only one apply the scripts.</summary>
public sealed class MigratorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Replicas = 2;

    private readonly List<IHost> _hosts = [];
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        // Not created: the migrators of both replicas race to create it too.
        _database = await TestDatabase.CreateAsync("migrate", create: false);
        for (var replica = 0; replica < Replicas; replica++)
        {
            _hosts.Add(TestHosts.Build($"replica-{replica}", _database, output));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await TestHosts.StopAsync(host);
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_replicas_starting_together_on_a_fresh_database_both_start_and_migrate_once()
    {
        // The replicas share this process, and DbUp migrates synchronously on a pool thread. On a
        // two-core machine the second replica would wait for the pool to grow, start after the
        // first had finished, and prove nothing; separate processes would not wait for each other.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);

        await Task.WhenAll(_hosts.Select(host => Task.Run(() => host.StartAsync())));

        await using var database = _database.CreateDataSource();
        await using var connection = await database.OpenConnectionAsync();
        var journal = (await connection.QueryAsync<(string Script, long Runs)>(
            "SELECT scriptname, count(*) FROM schemaversions GROUP BY scriptname")).ToList();
        var scripts = new[] { typeof(MessagingSetup).Assembly, typeof(MigratorTests).Assembly }
            .Sum(assembly => assembly.GetManifestResourceNames().Count(name => name.EndsWith(".sql", StringComparison.Ordinal)));
        Assert.Equal(scripts, journal.Count);
        Assert.All(journal, entry => Assert.Equal(1, entry.Runs));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM migration_runs"));
    }
}
