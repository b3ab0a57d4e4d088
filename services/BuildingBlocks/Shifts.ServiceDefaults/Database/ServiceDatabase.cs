using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// A service's own PostgreSQL database: one <see cref="NpgsqlDataSource"/> from
/// <c>ConnectionStrings:Database</c>, SQL migrations applied before anything else starts, a
/// readiness check, and a Polly pipeline for transient faults.
/// </summary>
public static class ServiceDatabase
{
    public const string ConnectionStringName = "Database";

    /// <summary>The key of the Polly pipeline that retries transient Npgsql faults.</summary>
    public const string TransientPipeline = "database-transient";

    /// <param name="migrationAssemblies">Assemblies whose embedded <c>*.sql</c> resources are the
    /// migrations, applied in order of their resource names (the service's own and Shifts.Messaging's).</param>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, params Assembly[] migrationAssemblies)
    {
        var connectionString = ReadConnectionString(builder);
        // Rows map to records the same way in every service (DapperMapping).
        DapperMapping.Register();
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton(new MigrationSource(connectionString, migrationAssemblies));

        // Registered first among hosted services: the schema exists before the bus consumes or
        // the outbox relay publishes anything.
        builder.Services.AddHostedService<DatabaseMigrator>();

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthTags.Ready]);

        builder.Services.AddSingleton<Transactions>();
        builder.Services.AddResiliencePipeline(TransientPipeline, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => DatabaseFaults.IsTransient(ex)
                || ex is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        }));

        return builder;
    }

    /// <summary>The connection string; a missing or malformed one is reported as a configuration problem.</summary>
    private static string ReadConnectionString(IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            ConfigurationProblems.Report(builder, $"ConnectionStrings:{ConnectionStringName} is not set (environment variable ConnectionStrings__{ConnectionStringName}).");
            return "Host=unconfigured";
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            ConfigurationProblems.Report(builder, $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}");
            return "Host=unconfigured";
        }
    }
}

/// <summary>What the migrator needs: the full connection string (NpgsqlDataSource hides the password) and the script assemblies.</summary>
public sealed record MigrationSource(string ConnectionString, IReadOnlyList<Assembly> Assemblies);

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {ex.Message}");
        }
    }
}
