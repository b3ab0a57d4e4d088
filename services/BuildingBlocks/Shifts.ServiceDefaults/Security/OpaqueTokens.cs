using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Shifts.ServiceDefaults.Security;

/// <summary>
/// The secrets the services hand out and only ever store hashed: login-link, confirmation and
/// refresh tokens (volunteers), calendar feed tokens (events). Each is 32 bytes (256 bits), written
/// as 43 characters of unpadded base64url; the database keeps their SHA-256, so a copy of it opens
/// nothing.
/// </summary>
public static class OpaqueTokens
{
    public const int Length = 43;

    private const int SecretBytes = 32;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>A new secret: what the client gets, and the hash it is stored under.</summary>
    public static (string Token, byte[] Hash) Create() => FromSecret(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The token and stored hash of a secret made elsewhere (a feed token is derived from a key, so
    /// it can be shown again); the secret must be 32 bytes.
    /// </summary>
    public static (string Token, byte[] Hash) FromSecret(ReadOnlySpan<byte> secret)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(secret.Length, SecretBytes, nameof(secret));
        return (Base64Url.EncodeToString(secret), SHA256.HashData(secret));
    }

    /// <summary>
    /// The hash a presented token would be stored under; null when it cannot be one of ours. Only
    /// the canonical spelling counts: 43 characters carry 258 bits, so four spellings decode to the
    /// same 32 bytes, and any input whatever (wrong length, other characters, stray low bits) is
    /// answered with null rather than an exception.
    /// </summary>
    public static byte[]? HashOf(string? token)
    {
        // Checked by hand before decoding: the decoder's Try… method throws on characters outside
        // the alphabet and on stray bits. The last of 43 characters carries 4 bits and 2 zero bits.
        if (token is null || token.Length != Length || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            || Alphabet.IndexOf(token[^1], StringComparison.Ordinal) % 4 != 0)
        {
            return null;
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        if (Base64Url.DecodeFromChars(token, secret, out var consumed, out var written) != OperationStatus.Done
            || consumed != Length || written != SecretBytes)
        {
            return null;
        }

        return SHA256.HashData(secret);
    }
}
