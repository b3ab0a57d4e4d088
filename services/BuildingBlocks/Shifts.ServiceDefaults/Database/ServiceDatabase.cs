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
        // Validated when first resolved (inside the host's start), so a bad setting ends with a
        // one-line cause from ServiceRunner rather than a stack trace from Program.cs.
        builder.Services.AddSingleton(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            return new NpgsqlDataSourceBuilder(ReadConnectionString(configuration)).Build();
        });
        builder.Services.AddSingleton(new MigrationSource(migrationAssemblies));

        // Registered first among hosted services: the schema exists before the bus consumes or
        // the outbox relay publishes anything.
        builder.Services.AddHostedService<DatabaseMigrator>();

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthTags.Ready]);

        builder.Services.AddResiliencePipeline(TransientPipeline, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(ex => ex.IsTransient),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        }));

        return builder;
    }

    private static string ReadConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException($"ConnectionStrings:{ConnectionStringName} is not set (environment variable ConnectionStrings__{ConnectionStringName}).");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}

public sealed record MigrationSource(IReadOnlyList<Assembly> Assemblies);

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
