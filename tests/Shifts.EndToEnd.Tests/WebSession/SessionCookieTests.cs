using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Shifts.EndToEnd.Tests.Browser;

namespace Shifts.EndToEnd.Tests.WebSession;

/// <summary>
/// The web app's session cookie through the gateway, as browsers get it: over HTTPS (TLS ended at
/// an ingress in front of the gateway, which says so with X-Forwarded-Proto) and over plain HTTP on
/// loopback; what is in it; and that forms need their antiforgery token.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SessionCookieTests(ShiftsSystem system)
{
    [Fact]
    public async Task Over_HTTPS_the_login_sets_a_Host_prefixed_cookie_Secure_HttpOnly_Lax_for_the_whole_site_without_a_domain()
    {
        var person = await People.NewAsync(system);
        using var browser = new WebClient(system.Gateway.BaseAddress!, https: true);

        var answer = await browser.LogInAsync(system, person.Email);

        var cookie = answer.Cookie("__Host-shifts");
        Assert.NotNull(cookie);
        Assert.True(cookie.Secure, "Secure");
        Assert.True(cookie.HttpOnly, "HttpOnly");
        Assert.Equal("lax", cookie.SameSite?.ToLowerInvariant());
        Assert.Equal("/", cookie.Path);
        Assert.Null(cookie.Domain);
        Assert.Null(answer.Cookie("shifts"));
        // The antiforgery and language cookies are Secure over HTTPS too.
        Assert.All(answer.SetCookies, c => Assert.True(c.Secure, $"{c.Name} is Secure"));
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);
    }

    [Fact]
    public async Task Over_plain_HTTP_the_cookie_is_called_shifts_and_is_not_Secure()
    {
        var person = await People.NewAsync(system);
        using var browser = new WebClient(system.Gateway.BaseAddress!);

        var answer = await browser.LogInAsync(system, person.Email);

        var cookie = answer.Cookie("shifts");
        Assert.NotNull(cookie);
        Assert.False(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("lax", cookie.SameSite?.ToLowerInvariant());
        Assert.Equal("/", cookie.Path);
        Assert.Null(cookie.Domain);
        Assert.Null(answer.Cookie("__Host-shifts"));
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);
    }

    [Fact]
    public async Task The_cookie_shows_nothing_of_the_session_to_whoever_holds_it_without_the_key_ring()
    {
        var person = await People.NewAsync(system, "Clara Neumann");
        using var browser = new WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, person.Email);
        var value = SessionTickets.CookieValue(browser.Cookies, "shifts")!;

        // With the key ring: the person and their API tokens.
        var ticket = new SessionTickets(system.KeyRing).Read(value);
        Assert.NotNull(ticket);
        Assert.Equal(person.Name, ticket.Principal.Identity?.Name);
        var tokens = new SessionTickets(system.KeyRing).Tokens(value);
        Assert.StartsWith("eyJ", tokens.AccessToken, StringComparison.Ordinal);

        // Without it: neither token, nor the name, nor a JWT, in the cookie or in its decoded bytes.
        var decoded = Encoding.Latin1.GetString(WebEncoders.Base64UrlDecode(value));
        foreach (var secret in new[] { tokens.AccessToken, tokens.AccessToken.Split('.')[1], tokens.RefreshToken, person.Name, person.Email, "eyJ" })
        {
            Assert.DoesNotContain(secret, value, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, decoded, StringComparison.Ordinal);
        }

        // Another key ring cannot read it.
        var other = Path.Combine(Path.GetTempPath(), $"shifts-web-keys-{Guid.NewGuid():N}");
        try
        {
            Shifts.Web.Session.KeyRing.CreateKey(other);
            Assert.Null(new SessionTickets(other).Read(value));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused_and_not_carried_out()
    {
        var person = await People.NewAsync(system);
        using var browser = new WebClient(system.Gateway.BaseAddress!);
        await browser.LogInAsync(system, person.Email);
        var page = await browser.GetAsync("/not-found");
        Assert.True(page.SignedIn);

        // Logout without the token: 400, and the person is still signed in.
        var logout = await browser.SubmitAsync("/not-found", page.Form("/logout").Without("__RequestVerificationToken"));
        Assert.Equal(HttpStatusCode.BadRequest, logout.Status);
        Assert.DoesNotContain(logout.SetCookies, c => c.Name == "shifts");
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);

        // The language switch without the token: 400, and no language cookie.
        var language = await browser.SubmitAsync("/not-found", page.Form("/language").Without("__RequestVerificationToken"), ("lang", "en"));
        Assert.Equal(HttpStatusCode.BadRequest, language.Status);
        Assert.DoesNotContain(language.SetCookies, c => c.Name == "shifts-lang");

        // A token from another person's page is no good either (it is bound to the signed-in person).
        using var stranger = new WebClient(system.Gateway.BaseAddress!);
        await stranger.LogInAsync(system, (await People.NewAsync(system, "Fremde Person")).Email);
        var strangers = (await stranger.GetAsync("/not-found")).Form("/logout");
        var forged = await browser.SubmitAsync("/not-found", page.Form("/logout").With("__RequestVerificationToken", strangers.Token!));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.True((await browser.GetAsync("/not-found")).SignedIn);

        // A Blazor form (the login link) without the token: 400, and no mail is sent.
        using var anonymous = new WebClient(system.Gateway.BaseAddress!);
        var mails = (await system.Inbox.MailsToAsync(person.Email)).Count;
        var login = await anonymous.GetAsync("/login");
        var ask = await anonymous.SubmitAsync("/login", login.Form("login-link").Without("__RequestVerificationToken"), ("Email", person.Email));
        Assert.Equal(HttpStatusCode.BadRequest, ask.Status);
        Assert.DoesNotContain("role=\"status\"", ask.Html, StringComparison.Ordinal);

        // With the token, both work (the refusals above were for the token, nothing else).
        var switched = await browser.SubmitAsync("/not-found", page.Form("/language"), ("lang", "en"));
        Assert.Equal(HttpStatusCode.Redirect, switched.Status);
        Assert.NotNull(switched.Cookie("shifts-lang"));
        var sent = await anonymous.SubmitAsync("/login", login.Form("login-link"), ("Email", person.Email));
        Assert.Contains("role=\"status\"", sent.Html, StringComparison.Ordinal);
        // Exactly one more mail: the link asked for with the token; none for the refused post.
        Assert.Equal(mails + 1, (await system.Inbox.WaitForMailsToAsync(person.Email, mails + 1)).Count);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(mails + 1, (await system.Inbox.MailsToAsync(person.Email)).Count);
    }
}
