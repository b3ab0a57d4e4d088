using Npgsql;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Creates the platform admin named by <c>Shifts:Bootstrap:AdminEmail</c> at start, so a fresh
/// installation has someone who can create the first organisation. Idempotent across restarts
/// and replicas (the unique index on the address decides).
/// </summary>
internal sealed partial class PlatformAdminBootstrap(NpgsqlDataSource db, IConfiguration configuration, ILogger<PlatformAdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Shifts:Bootstrap:AdminEmail"];
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }

        if (!LoginLinksApi.IsEmail(email))
        {
            throw new Shifts.ServiceDefaults.StartupException($"Shifts:Bootstrap:AdminEmail '{email}' is not an email address.");
        }

        const string sql = """
            INSERT INTO volunteers (id, email, name, locale, is_platform_admin)
            VALUES (@id, @email, 'Platform admin', 'en', true)
            ON CONFLICT ((lower(email))) DO UPDATE SET is_platform_admin = true
            RETURNING (xmax = 0)
            """;
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("email", email.Trim());
        var created = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (created)
        {
            LogCreated(logger, email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the platform admin {Email}")]
    private static partial void LogCreated(ILogger logger, string email);
}
