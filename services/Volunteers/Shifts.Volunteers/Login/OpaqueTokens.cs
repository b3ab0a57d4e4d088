using System.Buffers.Text;
using System.Security.Cryptography;

namespace Shifts.Volunteers.Login;

/// <summary>
/// The secrets this service hands out and only ever stores hashed: login-link tokens and refresh
/// tokens. Each is 32 random bytes (256 bits), written as 43 characters of unpadded base64url; the
/// database keeps their SHA-256, so a copy of it logs nobody in.
/// </summary>
public static class OpaqueTokens
{
    public const int Length = 43;

    private const int SecretBytes = 32;

    /// <summary>A new secret: what the client gets, and the hash it is stored under.</summary>
    public static (string Token, byte[] Hash) Create()
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
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
        if (token is null || token.Length != Length)
        {
            return null;
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        if (!Base64Url.TryDecodeFromChars(token, secret, out var written) || written != SecretBytes
            || !string.Equals(Base64Url.EncodeToString(secret), token, StringComparison.Ordinal))
        {
            return null;
        }

        return SHA256.HashData(secret);
    }
}
