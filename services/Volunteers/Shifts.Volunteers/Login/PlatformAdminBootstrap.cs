using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Creates the platform admin named by <c>Shifts:Bootstrap:AdminEmail</c> at start, so a fresh
/// installation has someone who can create the first organisation. Idempotent across restarts
/// and replicas (the unique index on the address decides); a new admin is announced like any
/// new person (VolunteerRegistered), so the other services' replicas know them.
/// </summary>
internal sealed partial class PlatformAdminBootstrap(Transactions transactions, IConfiguration configuration, ILogger<PlatformAdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Shifts:Bootstrap:AdminEmail"];
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }

        if (!TextRules.IsEmail(email))
        {
            throw new Shifts.ServiceDefaults.StartupException($"Shifts:Bootstrap:AdminEmail '{email}' is not an email address.");
        }

        const string sql = """
            INSERT INTO volunteers (id, email, name, locale, is_platform_admin)
            VALUES (@id, @email, 'Platform admin', 'en', true)
            ON CONFLICT ((lower(email))) DO UPDATE SET is_platform_admin = true
            RETURNING id, name, email, locale, (xmax = 0)
            """;
        var created = await transactions.RunAsync(async (tx, ct) =>
        {
            await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
            command.Parameters.AddWithValue("id", Guid.CreateVersion7());
            command.Parameters.AddWithValue("email", email.Trim());
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var registered = new VolunteerRegistered(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            var isNew = reader.GetBoolean(4);
            await reader.CloseAsync();
            if (isNew)
            {
                await Outbox.EnqueueAsync(tx, registered, ct);
            }

            return isNew;
        }, cancellationToken);
        if (created)
        {
            LogCreated(logger, email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the platform admin {Email}")]
    private static partial void LogCreated(ILogger logger, string email);
}
