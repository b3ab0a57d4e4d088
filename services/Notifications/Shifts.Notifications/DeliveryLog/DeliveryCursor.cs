using System.Buffers.Binary;

namespace Shifts.Notifications.DeliveryLog;

/// <summary>
/// An opaque keyset cursor: the position of the last row of a page — whether it was a failure
/// (the organisation's log lists those first), its created_at and its id.
/// </summary>
public readonly record struct DeliveryCursor(bool Failed, DateTimeOffset CreatedAt, Guid Id)
{
    private const int Length = 25;

    public string Encode()
    {
        var bytes = new byte[Length];
        bytes[0] = Failed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), CreatedAt.UtcTicks);
        Id.TryWriteBytes(bytes.AsSpan(9));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? value, out DeliveryCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(value) || value.Length > 40)
        {
            return false;
        }

        var base64 = value.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[Length + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != Length || bytes[0] > 1)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new DeliveryCursor(bytes[0] == 1, new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.AsSpan(9, 16)));
        return true;
    }
}
