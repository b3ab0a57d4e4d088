using Dapper;
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
            RETURNING id, name, email, locale, (xmax = 0) AS is_new
            """;
        var created = await transactions.RunAsync(async (tx, ct) =>
        {
            var admin = await tx.Connection!.QuerySingleAsync<AdminRow>(new CommandDefinition(
                sql, new { id = Guid.CreateVersion7(), email = email.Trim() }, tx, cancellationToken: ct));
            if (admin.IsNew)
            {
                await Outbox.EnqueueAsync(tx, new VolunteerRegistered(admin.Id, admin.Name, admin.Email, admin.Locale), ct);
            }

            return admin.IsNew;
        }, cancellationToken);
        if (created)
        {
            LogCreated(logger, email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record AdminRow(Guid Id, string Name, string Email, string Locale, bool IsNew)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private AdminRow()
            : this(default!, default!, default!, default!, default!)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the platform admin {Email}")]
    private static partial void LogCreated(ILogger logger, string email);
}
