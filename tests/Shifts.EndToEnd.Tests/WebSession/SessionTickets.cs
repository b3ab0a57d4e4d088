using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Shifts.Web.Session;

namespace Shifts.EndToEnd.Tests.WebSession;

/// <summary>
/// Reads a session cookie as only a holder of the web app's key ring can: the ticket inside, with the
/// person's claims and their API tokens. The tests use it to show what the browser cannot see, and to
/// follow the tokens through a refresh or a logout.
/// </summary>
public sealed class SessionTickets
{
    private readonly TicketDataFormat _format;

    public SessionTickets(string keyRing)
    {
        var provider = DataProtectionProvider.Create(new DirectoryInfo(keyRing), builder => builder.SetApplicationName(KeyRing.ApplicationName).DisableAutomaticKeyGeneration());
        // The purposes the cookie handler protects its tickets with (CookieAuthenticationOptions' post-configure).
        _format = new TicketDataFormat(provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2"));
    }

    /// <summary>The session cookie's value from a jar (joined again when the cookie came in chunks).</summary>
    public static string? CookieValue(IReadOnlyDictionary<string, string> cookies, string name)
    {
        ArgumentNullException.ThrowIfNull(cookies);
        if (!cookies.TryGetValue(name, out var value))
        {
            return null;
        }

        if (value.StartsWith("chunks-", StringComparison.Ordinal) && int.TryParse(value["chunks-".Length..], out var count))
        {
            return string.Concat(Enumerable.Range(1, count).Select(i => cookies[$"{name}C{i}"]));
        }

        return value;
    }

    public AuthenticationTicket? Read(string cookieValue) => _format.Unprotect(cookieValue);

    /// <summary>The API tokens in the cookie; fails the test when the key ring cannot read it.</summary>
    public SessionTokens Tokens(string cookieValue)
    {
        var ticket = Read(cookieValue);
        Assert.NotNull(ticket);
        var tokens = SessionTokens.From(ticket.Properties);
        Assert.NotNull(tokens);
        return tokens;
    }
}
