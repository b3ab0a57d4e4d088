using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Security;

namespace Shifts.Events.Calendar;

/// <summary>
/// The secret in a person's feed URL. Like the other opaque tokens (login links, refresh tokens;
/// ServiceDefaults Security/OpaqueTokens.cs spells and checks them all) it is 32 bytes (256 bits)
/// written as 43 characters of unpadded base64url, and
/// the database keeps only its SHA-256, which is how a presented token is found. Unlike them it
/// must be shown again: GET /api/me/calendar answers the same URL every time, and a subscribed
/// calendar keeps it for years. So the token is not stored but derived, HMAC-SHA256 of 32 random
/// bytes (the nonce, stored) under the <see cref="FeedKey"/> (not stored with it in production).
/// </summary>
public static class FeedTokens
{
    public const int Length = OpaqueTokens.Length;

    private const int SecretBytes = 32;

    /// <summary>The person's token: the one they have, or a new one the first time they ask.</summary>
    public static async Task<string> EnsureAsync(NpgsqlTransaction tx, Guid volunteerId, byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var (nonce, token, hash) = Create(key);

        // Two first requests at once: the primary key keeps one nonce, and both answer its token.
        var connection = tx.Connection!;
        const string insert = """
            INSERT INTO calendar_feeds (volunteer_id, nonce, token_hash) VALUES (@id, @nonce, @hash)
            ON CONFLICT (volunteer_id) DO NOTHING
            """;
        if (await connection.ExecuteAsync(new CommandDefinition(insert, new { id = volunteerId, nonce, hash }, tx, cancellationToken: cancellationToken)) == 1)
        {
            return token;
        }

        var (stored, storedHash) = await connection.QuerySingleAsync<(byte[] Nonce, byte[] TokenHash)>(new CommandDefinition(
            "SELECT nonce, token_hash FROM calendar_feeds WHERE volunteer_id = @id FOR UPDATE", new { id = volunteerId }, tx, cancellationToken: cancellationToken));

        var (derived, current) = OpaqueTokens.FromSecret(Derive(key, stored));
        if (!CryptographicOperations.FixedTimeEquals(current, storedHash))
        {
            // The feed key changed since the URL was made: the URL derived now is the one that
            // must work from now on (and the old one, which nobody can derive any more, stops).
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE calendar_feeds SET token_hash = @hash, rotated_at = now() WHERE volunteer_id = @id",
                new { id = volunteerId, hash = current }, tx, cancellationToken: cancellationToken));
        }

        return derived;
    }

    /// <summary>A new token for the person (made if they had none); the old one finds nothing from the commit on.</summary>
    public static async Task<string> RotateAsync(NpgsqlTransaction tx, Guid volunteerId, byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var (nonce, token, hash) = Create(key);
        const string sql = """
            INSERT INTO calendar_feeds (volunteer_id, nonce, token_hash) VALUES (@id, @nonce, @hash)
            ON CONFLICT (volunteer_id) DO UPDATE SET nonce = excluded.nonce, token_hash = excluded.token_hash, rotated_at = now()
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { id = volunteerId, nonce, hash }, tx, cancellationToken: cancellationToken));
        return token;
    }

    /// <summary>Whose feed a presented token opens; null for a token that is unknown, rotated away or cannot be one of ours.</summary>
    public static async Task<Guid?> OwnerAsync(NpgsqlConnection connection, string? token, CancellationToken cancellationToken)
    {
        if (HashOf(token) is not { } hash)
        {
            return null;
        }

        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT volunteer_id FROM calendar_feeds WHERE token_hash = @hash", new { hash }, cancellationToken: cancellationToken));
    }

    /// <summary>The hash a presented token would be stored under; null when it cannot be one of ours (only the canonical spelling counts).</summary>
    public static byte[]? HashOf(string? token) => OpaqueTokens.HashOf(token);

    private static (byte[] Nonce, string Token, byte[] Hash) Create(byte[] key)
    {
        var nonce = RandomNumberGenerator.GetBytes(SecretBytes);
        var (token, hash) = OpaqueTokens.FromSecret(Derive(key, nonce));
        return (nonce, token, hash);
    }

    private static byte[] Derive(byte[] key, byte[] nonce) => HMACSHA256.HashData(key, nonce);
}
