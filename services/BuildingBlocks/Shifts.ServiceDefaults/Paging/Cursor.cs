using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Shifts.ServiceDefaults.Paging;

/// <summary>
/// An opaque keyset cursor: the sort key of the last row of a page, written field by field into
/// bytes and encoded as base64url (RFC 4648 §5, no padding), so it travels in a query string as it
/// is. A cursor is read back with the same fields in the same order; anything else a caller sends
/// (edited, truncated, from another list) fails to read and is a 400 naming <c>cursor</c>.
/// </summary>
/// <example><code>
/// var cursor = new CursorWriter().Instant(row.StartsAt).Guid(row.Id).ToString();
/// if (CursorReader.TryOpen(text, out var reader) &amp;&amp; reader.Instant(out var startsAt) &amp;&amp; reader.Guid(out var id) &amp;&amp; reader.End) …
/// </code></example>
public sealed class CursorWriter
{
    private readonly List<byte> _bytes = [];

    public CursorWriter Boolean(bool value)
    {
        _bytes.Add(value ? (byte)1 : (byte)0);
        return this;
    }

    public CursorWriter Instant(DateTimeOffset value)
    {
        Span<byte> span = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(span, value.UtcTicks);
        _bytes.AddRange(span);
        return this;
    }

    public CursorWriter Guid(Guid value)
    {
        Span<byte> span = stackalloc byte[16];
        value.TryWriteBytes(span);
        _bytes.AddRange(span);
        return this;
    }

    /// <summary>A text field, length-prefixed so that another field may follow it.</summary>
    public CursorWriter Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, utf8.Length);
        _bytes.AddRange(length);
        _bytes.AddRange(utf8);
        return this;
    }

    public override string ToString() => Base64Url.EncodeToString([.. _bytes]);
}

/// <summary>Reads a cursor that <see cref="CursorWriter"/> wrote, field by field; every read says whether it succeeded.</summary>
public sealed class CursorReader
{
    /// <summary>Longer cursors are refused unread: no list's sort key comes near it.</summary>
    public const int MaxLength = 1200;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly byte[] _bytes;
    private int _position;

    private CursorReader(byte[] bytes) => _bytes = bytes;

    /// <summary>True when every byte has been read: a cursor with bytes left over is not one of ours.</summary>
    public bool End => _position == _bytes.Length;

    public static bool TryOpen(string? text, out CursorReader reader)
    {
        reader = new CursorReader([]);
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Base64Url.IsValid(text, out var length))
        {
            return false;
        }

        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(text, bytes) != length)
        {
            return false;
        }

        reader = new CursorReader(bytes);
        return true;
    }

    public bool Boolean(out bool value)
    {
        value = false;
        if (!Take(1, out var span) || span[0] > 1)
        {
            return false;
        }

        value = span[0] == 1;
        return true;
    }

    public bool Instant(out DateTimeOffset value)
    {
        value = default;
        if (!Take(8, out var span))
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(span);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    public bool Guid(out Guid value)
    {
        value = default;
        if (!Take(16, out var span))
        {
            return false;
        }

        value = new Guid(span);
        return true;
    }

    /// <summary>A text field; refused if it is not UTF-8 or holds NUL (which PostgreSQL text cannot).</summary>
    public bool Text(out string value)
    {
        value = "";
        if (!Take(4, out var prefix))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length < 0 || !Take(length, out var utf8))
        {
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return !value.Contains('\0', StringComparison.Ordinal);
    }

    private bool Take(int count, out ReadOnlySpan<byte> span)
    {
        if (_bytes.Length - _position < count)
        {
            span = default;
            return false;
        }

        span = _bytes.AsSpan(_position, count);
        _position += count;
        return true;
    }
}
