using QRCoder;

namespace Shifts.Web.Components.Personal;

/// <summary>
/// The private calendar feed's address in the forms calendar apps take: <c>webcal://</c> (iPhone,
/// Mac and most Android calendar apps subscribe when it is opened), the plain https address (Google
/// Calendar's "From URL" wants that one), and a QR code of the webcal address to open it on a phone
/// while reading this page on a computer.
/// </summary>
public static class CalendarAddress
{
    /// <summary>The same address with webcal:// instead of http(s)://; anything else as it is.</summary>
    public static string Webcal(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return "webcal://" + url[scheme.Length..];
            }
        }

        return url;
    }

    /// <summary>
    /// The QR code as a PNG data: URI (the Content-Security-Policy allows data: images; an inline
    /// SVG would need inline styles, which it does not).
    /// </summary>
    public static string QrCodeDataUri(string text)
    {
        var png = PngByteQRCodeHelper.GetQRCode(text, QRCodeGenerator.ECCLevel.M, 8, true);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
