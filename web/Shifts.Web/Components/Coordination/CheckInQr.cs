using QRCoder;

namespace Shifts.Web.Components.Coordination;

/// <summary>
/// The event's self check-in QR code as an SVG image (a data: URI: the Content-Security-Policy
/// allows data: images, and an image's own styles are its own), so it prints sharp at any size.
/// </summary>
public static class CheckInQr
{
    public static string SvgDataUri(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        var markup = svg.GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(markup));
    }
}
