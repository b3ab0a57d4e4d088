namespace Shifts.Notifications.Mail;

/// <summary>Links from a mail into the web app, under <c>Shifts:PublicBaseUrl</c> (where people reach the gateway).</summary>
public sealed class AppLinks(Uri baseUrl)
{
    public static AppLinks From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Shifts:PublicBaseUrl"];
        return new AppLinks(Uri.TryCreate(string.IsNullOrWhiteSpace(value) ? "http://localhost:8080/" : value, UriKind.Absolute, out var uri)
            ? uri
            : new Uri("http://localhost:8080/"));
    }

    public string Shift(Guid shiftId) => Link($"shifts/{shiftId}");

    public string Event(Guid eventId) => Link($"events/{eventId}");

    public string OpenShifts(string org) => Link($"orgs/{Uri.EscapeDataString(org)}/shifts");

    public string Gaps(string org) => Link($"orgs/{Uri.EscapeDataString(org)}/gaps");

    /// <summary>
    /// The page that answers an invitation (web: /invitations/{token}); <paramref name="answer"/>
    /// ("accept" or "decline") only preselects it there, the person still confirms with a tap, so a
    /// mail scanner that opens the link answers nothing.
    /// </summary>
    public string Invitation(string token, string answer) =>
        Link($"invitations/{Uri.EscapeDataString(token)}?answer={Uri.EscapeDataString(answer)}");

    /// <summary>Where people change what they are told (reminders, quiet hours, language).</summary>
    public string Settings() => Link("me");

    private string Link(string path) => baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path;
}
