namespace Shifts.Events.Calendar;

/// <summary>
/// Addresses under <c>Shifts:PublicBaseUrl</c> (where people reach the gateway), the same setting
/// and the same shift link as the notifications service's mails: a feed URL leaves the system in a
/// calendar app, and its entries link back to the shift's page of the web app.
/// </summary>
public sealed class CalendarLinks(Uri baseUrl)
{
    public const string Setting = "Shifts:PublicBaseUrl";

    public static CalendarLinks From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Setting];
        return new CalendarLinks(Uri.TryCreate(string.IsNullOrWhiteSpace(value) ? "http://localhost:8080/" : value, UriKind.Absolute, out var uri)
            ? uri
            : new Uri("http://localhost:8080/"));
    }

    public string Feed(string token) => Link($"api/calendar/{token}.ics");

    public string Shift(Guid shiftId) => Link($"shifts/{shiftId}");

    private string Link(string path) => baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path;
}
