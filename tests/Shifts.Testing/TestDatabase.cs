using Npgsql;

namespace Shifts.Testing;

/// <summary>A database of its own for one test class, dropped afterwards: tests never see each other's rows.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private TestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <param name="purpose">A readable part of the name, e.g. the service ("events").</param>
    /// <param name="create">False leaves creating it to the service under test (its migrator does that).</param>
    public static async Task<TestDatabase> CreateAsync(string purpose, bool create = true)
    {
        var servers = await TestServers.GetAsync();
        var unique = $"t_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        var name = unique[..Math.Min(unique.Length, 63)]; // PostgreSQL identifiers stop at 63 bytes
        if (create)
        {
            await using var connection = new NpgsqlConnection(servers.Postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(servers.Postgres) { Database = name }.ConnectionString;
        return new TestDatabase(servers.Postgres, name, connectionString);
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
