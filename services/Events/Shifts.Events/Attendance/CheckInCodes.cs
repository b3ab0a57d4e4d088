using System.Security.Cryptography;
using System.Text;
using Shifts.Events.Calendar;
using Shifts.ServiceDefaults;

namespace Shifts.Events.Attendance;

/// <summary>
/// The per-event code of self check-in, printed as a QR code at the meeting point: an HMAC-SHA256
/// of the event's id (truncated to 128 bits, base64url) under <c>Attendance:CheckInKey</c> (base64
/// of 32 or more random bytes, the same for every replica). Without the setting the key is derived
/// from the calendar feeds' key (<see cref="FeedKey"/>, itself configured or kept in the database),
/// so every replica and restart agrees. Nothing is stored: the code is checked by computing it
/// again. Changing the key changes every event's code; printed codes stop working.
/// </summary>
public sealed class CheckInCodes(byte[]? configured, FeedKey feedKey, Uri publicBaseUrl)
{
    public const string Setting = "Attendance:CheckInKey";

    private const int MinimumBytes = 32;

    private byte[]? _key = configured;

    /// <summary>Reads the setting and the public base address; a value that is not a usable key stops the start with a one-line cause.</summary>
    public static Func<IServiceProvider, CheckInCodes> FromConfiguration(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        byte[]? configured = null;
        var value = builder.Configuration[Setting];
        if (!string.IsNullOrWhiteSpace(value))
        {
            var bytes = new byte[value.Length];
            if (Convert.TryFromBase64String(value.Trim(), bytes, out var written) && written >= MinimumBytes)
            {
                configured = bytes[..written];
            }
            else
            {
                ConfigurationProblems.Report(builder, $"{Setting} must be base64 of at least {MinimumBytes} random bytes (e.g. openssl rand -base64 32).");
            }
        }

        var baseUrl = builder.Configuration[CalendarLinks.Setting];
        var publicBase = Uri.TryCreate(string.IsNullOrWhiteSpace(baseUrl) ? "http://localhost:8080/" : baseUrl, UriKind.Absolute, out var uri) ? uri : new Uri("http://localhost:8080/");
        return services => new CheckInCodes(configured, services.GetRequiredService<FeedKey>(), publicBase);
    }

    /// <summary>The event's code.</summary>
    public async Task<string> CodeAsync(Guid eventId, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken);
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("check-in:" + eventId.ToString("D")));
        return Base64Url(mac.AsSpan(0, 16));
    }

    /// <summary>Whether <paramref name="code"/> is the event's code (compared in constant time).</summary>
    public async Task<bool> IsValidAsync(Guid eventId, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var expected = Encoding.ASCII.GetBytes(await CodeAsync(eventId, cancellationToken));
        var given = Encoding.UTF8.GetBytes(code.Trim());
        return given.Length == expected.Length && CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The address the QR code carries: the web app's "I'm here" page of the event.</summary>
    public string Url(Guid eventId, string code) =>
        $"{publicBaseUrl.AbsoluteUri.TrimEnd('/')}/events/{eventId}/here?code={Uri.EscapeDataString(code)}";

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } known)
        {
            return known;
        }

        // A key of its own, derived: a check-in code reveals nothing about feed tokens.
        var derived = HMACSHA256.HashData(await feedKey.GetAsync(cancellationToken), "shifts self check-in codes"u8);
        Volatile.Write(ref _key, derived);
        return derived;
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
