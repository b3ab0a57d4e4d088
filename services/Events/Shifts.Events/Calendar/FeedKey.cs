using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Shifts.ServiceDefaults;

namespace Shifts.Events.Calendar;

/// <summary>
/// The key feed tokens are derived with (<see cref="FeedTokens"/>). Production configures it
/// (<c>Calendar:FeedKey</c>, base64 of 32 or more random bytes, the same for every replica), so a
/// copy of the database cannot derive anyone's feed URL. Without it (local runs, tests) one is
/// generated once and kept in the database, as the volunteers service does with its signing key:
/// every replica and every restart then derives the same URLs. Changing the key changes every URL
/// shown from then on; a URL already handed out keeps working until its person next asks for it.
/// </summary>
public sealed class FeedKey(byte[]? configured, NpgsqlDataSource db)
{
    public const string Setting = "Calendar:FeedKey";

    private const int MinimumBytes = 32;

    private byte[]? _key = configured;

    /// <summary>Reads <c>Calendar:FeedKey</c>; a value that is not a usable key stops the start with a one-line cause.</summary>
    public static byte[]? FromConfiguration(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var value = builder.Configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var written) || written < MinimumBytes)
        {
            ConfigurationProblems.Report(builder, $"{Setting} must be base64 of at least {MinimumBytes} random bytes (e.g. openssl rand -base64 32).");
            return null;
        }

        return bytes[..written];
    }

    public async Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } known)
        {
            return known;
        }

        // Two replicas (or requests) generating at once: the primary key keeps the first, and both read it.
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        const string sql = """
            INSERT INTO calendar_feed_key (key) VALUES (@key) ON CONFLICT (only_row) DO NOTHING;
            SELECT key FROM calendar_feed_key;
            """;
        var key = (await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(sql, new { key = RandomNumberGenerator.GetBytes(MinimumBytes) },
            cancellationToken: cancellationToken)))!;
        Volatile.Write(ref _key, key);
        return key;
    }
}
