using System.Net.Sockets;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// Applies the service's SQL migrations with DbUp at start, under a PostgreSQL advisory lock so
/// that two replicas starting together never run the same script twice. Runs in StartAsync, which
/// the host awaits before it starts the bus and the web server.
/// </summary>
internal sealed partial class DatabaseMigrator(MigrationSource source, ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any fixed 64-bit key works; every Shifts service uses its own database, so one key suffices.
    private const long MigrationLockKey = 0x5348494654535f4d; // "SHIFTS_M"
    private static readonly TimeSpan StartupPatience = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = source.ConnectionString;
        await EnsureDatabaseExistsAsync(connectionString, cancellationToken);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await OpenWithPatienceAsync(lockConnection, cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScripts(source.Assemblies.SelectMany(LoadScripts).OrderBy(s => s.Name, StringComparer.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new StartupException($"migration {result.ErrorScript?.Name} failed: {result.Error?.Message}");
            }

            LogMigrated(logger, result.Scripts.Count(), lockConnection.Database);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Script names carry the assembly so that two assemblies' "0001_x.sql" stay apart in the journal.</summary>
    private static IEnumerable<SqlScript> LoadScripts(System.Reflection.Assembly assembly)
    {
        var prefix = assembly.GetName().Name;
        // Only resources from a Migrations folder: "<Assembly>.Migrations.0001_name.sql".
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var shortName = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            yield return new SqlScript($"{shortName[..4]}-{prefix}-{shortName}", reader.ReadToEnd());
        }
    }

    /// <summary>Local runs and tests point at a database that may not exist yet; create it, tolerating a racing replica.</summary>
    private async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await OpenWithPatienceAsync(connection, cancellationToken);

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database!);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            var quoted = "\"" + target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            LogCreatedDatabase(logger, target.Database);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it a moment ago.
        }
    }

    /// <summary>
    /// PostgreSQL may still be starting (a container, a pod): retry transient failures for a minute,
    /// then fail with one line that says what is wrong. Wrong credentials fail at once.
    /// </summary>
    private async Task OpenWithPatienceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartupPatience;
        var settings = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        var where = $"{settings.Host}:{settings.Port}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                throw new StartupException($"PostgreSQL at {where} rejected the login of user '{settings.Username}': {ex.MessageText}");
            }
            catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                LogWaiting(logger, where, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new StartupException($"cannot reach PostgreSQL at {where}: {ex.Message}");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current ({Applied} new scripts applied to {Database})")]
    private static partial void LogMigrated(ILogger logger, int applied, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created database {Database}")]
    private static partial void LogCreatedDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL at {Where} (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, string where, int attempt, string reason);

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.Log(LogLevel.Debug, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogWarning(string format, params object[] args) => logger.Log(LogLevel.Warning, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(string format, params object[] args) => logger.Log(LogLevel.Error, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.Log(LogLevel.Error, "{Message}: {Reason}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args), ex.Message);
    }
}
