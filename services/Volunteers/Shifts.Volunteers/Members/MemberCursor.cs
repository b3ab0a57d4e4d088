using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Shifts.Volunteers.Members;

/// <summary>An opaque keyset cursor for the member list: the sort key (lower-cased name) and id of a page's last row.</summary>
public static class MemberCursor
{
    public static string Encode(string sortName, Guid id)
    {
        var name = Encoding.UTF8.GetBytes(sortName);
        var bytes = new byte[16 + name.Length];
        id.TryWriteBytes(bytes);
        name.CopyTo(bytes, 16);
        return Base64UrlEncoder.Encode(bytes);
    }

    public static bool TryDecode(string? value, out string sortName, out Guid id)
    {
        sortName = "";
        id = Guid.Empty;
        if (string.IsNullOrEmpty(value) || value.Length > 1200 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(value);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }

        if (bytes.Length < 16)
        {
            return false;
        }

        try
        {
            sortName = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 16, bytes.Length - 16);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        id = new Guid(bytes.AsSpan(0, 16));
        return !sortName.Contains('\0', StringComparison.Ordinal); // PostgreSQL text cannot hold NUL
    }
}
