using System.Buffers.Binary;

namespace Shifts.Events.Shifts;

/// <summary>An opaque keyset cursor: the (starts_at, id) of the last row of a page.</summary>
public static class Cursor
{
    public static string Encode(DateTimeOffset startsAt, Guid id)
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, startsAt.UtcTicks);
        id.TryWriteBytes(bytes.AsSpan(8));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? value, out DateTimeOffset startsAt, out Guid id)
    {
        startsAt = default;
        id = default;
        if (string.IsNullOrEmpty(value) || value.Length != 32)
        {
            return false;
        }

        var bytes = new byte[24];
        if (!Convert.TryFromBase64String(value.Replace('-', '+').Replace('_', '/'), bytes, out var written) || written != 24)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        startsAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = new Guid(bytes.AsSpan(8));
        return true;
    }
}
