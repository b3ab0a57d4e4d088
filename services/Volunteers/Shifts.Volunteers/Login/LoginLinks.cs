using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.Volunteers.Members;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Creates a login link: 32 random bytes, stored only as their SHA-256 hash, valid for 15 minutes
/// and once; the link itself travels in LoginLinkRequested to the notifications service, which
/// mails it. Used by the login-link request, sign-up and invitations alike.
/// </summary>
public static class LoginLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static async Task IssueAsync(NpgsqlTransaction tx, Volunteer volunteer, Uri publicBaseUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volunteer);
        var secret = RandomNumberGenerator.GetBytes(32);
        var expiresAt = now + Lifetime;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO login_links (token_hash, volunteer_id, expires_at, created_at) VALUES (@hash, @volunteer, @expires, @now)",
            tx.Connection, tx))
        {
            insert.Parameters.AddWithValue("hash", SHA256.HashData(secret));
            insert.Parameters.AddWithValue("volunteer", volunteer.Id);
            insert.Parameters.AddWithValue("expires", expiresAt);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var link = new Uri(publicBaseUrl, $"login?token={Base64UrlEncoder.Encode(secret)}");
        await Outbox.EnqueueAsync(tx,
            new LoginLinkRequested(volunteer.Id, volunteer.Email, volunteer.Name, volunteer.Locale, link, expiresAt),
            cancellationToken);
    }

    /// <summary>The token of a link back to the hash it is stored under; null when it cannot be one of ours.</summary>
    public static byte[]? HashOf(string token)
    {
        if (token.Length != 43 || token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }

        // 43 base64url characters carry 258 bits for our 256: a token whose last character sets
        // the 2 spare bits is not one we issued, and the decoders throw on it (even TryDecode…).
        var secret = new byte[32];
        try
        {
            if (!Base64Url.TryDecodeFromChars(token, secret, out var written) || written != secret.Length)
            {
                return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        return string.Equals(Base64Url.EncodeToString(secret), token, StringComparison.Ordinal) ? SHA256.HashData(secret) : null;
    }

    /// <summary>Where the web app lives for the people reading the mail (<c>Shifts:PublicBaseUrl</c>).</summary>
    public static Uri PublicBaseUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Shifts:PublicBaseUrl"] ?? "http://localhost:8080/";
        return new Uri(value.EndsWith('/') ? value : value + "/");
    }
}
