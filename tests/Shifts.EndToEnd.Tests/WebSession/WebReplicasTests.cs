using System.Net;
using System.Net.Http.Json;
using Shifts.EndToEnd.Tests.Browser;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests.WebSession;

/// <summary>
/// Two web replicas behind one gateway, as the Kubernetes overlay runs them: they share the Data
/// Protection key ring (DataProtection:KeyRingPath), so a cookie or a form one of them issued is good
/// at the other. A replica with a key ring of its own accepts neither. The test talks to the
/// replicas directly; both call the API through the system's gateway.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class WebReplicasTests(ShiftsSystem system) : IAsyncLifetime
{
    private readonly string _otherKeyRing = Path.Combine(Path.GetTempPath(), $"shifts-web-keys-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _owned = [];
    private Uri _b = null!;
    private Uri _stranger = null!;

    private Uri A => system.WebAddress;

    public async Task InitializeAsync()
    {
        var b = new ServiceFactory<Shifts.Web.WebService>(ShiftsSystem.WebSettings(system.Gateway.BaseAddress!, system.KeyRing));
        _owned.Add(b);
        var stranger = new ServiceFactory<Shifts.Web.WebService>(ShiftsSystem.WebSettings(system.Gateway.BaseAddress!, _otherKeyRing));
        _owned.Add(stranger);
        (_b, _stranger) = await Task.Run(() => (b.Start(), stranger.Start()));
    }

    [Fact]
    public async Task A_cookie_issued_by_one_replica_signs_in_at_the_other_and_not_at_a_replica_with_another_key_ring()
    {
        var person = await People.NewAsync(system, "Greta Lang");
        using var atA = new WebClient(A);
        await atA.LogInAsync(system, person.Email);
        Assert.True((await atA.GetAsync("/not-found")).SignedIn);

        using var atB = atA.Copy(_b);
        var page = await atB.GetAsync("/not-found");
        Assert.True(page.SignedIn, "replica B reads A's cookie");
        Assert.Contains(person.Name, page.Html, StringComparison.Ordinal);

        using var atStranger = atA.Copy(_stranger);
        Assert.False((await atStranger.GetAsync("/not-found")).SignedIn, "a replica with another key ring cannot read the cookie");
    }

    [Fact]
    public async Task A_form_rendered_by_one_replica_is_accepted_by_the_other_and_refused_by_a_replica_with_another_key_ring()
    {
        var person = await People.NewAsync(system, "Oskar Vogel");
        using var atA = new WebClient(A);
        await atA.LogInAsync(system, person.Email);
        var page = await atA.GetAsync("/not-found");

        // The language switch from A's page, posted to the stranger: its token is unreadable there.
        using var atStranger = atA.Copy(_stranger);
        var refused = await atStranger.SubmitAsync("/not-found", page.Form("/language"), ("lang", "en"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Null(refused.Cookie("shifts-lang"));

        // The same form posted to B: done.
        using var atB = atA.Copy(_b);
        var switched = await atB.SubmitAsync("/not-found", page.Form("/language"), ("lang", "en"));
        Assert.Equal(HttpStatusCode.Redirect, switched.Status);
        Assert.Equal("/not-found", switched.Location);
        Assert.NotNull(switched.Cookie("shifts-lang"));

        // A's logout form posted to B ends the session (and the API's).
        var refreshToken = new SessionTickets(system.KeyRing).Tokens(SessionTickets.CookieValue(atB.Cookies, "shifts")!).RefreshToken;
        var logout = await atB.SubmitAsync("/not-found", page.Form("/logout"));
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal("/?loggedOut=1", logout.Location);
        Assert.False(atB.Cookies.ContainsKey("shifts"));
        using var refresh = await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task A_login_link_opened_on_one_replica_is_exchanged_by_the_button_on_the_other()
    {
        var person = await People.NewAsync(system, "Ida Krause");
        using var atA = new WebClient(A);
        var before = (await system.Inbox.MailsToAsync(person.Email)).Select(m => m.Id).ToHashSet();
        var login = await atA.GetAsync("/login");
        await atA.SubmitAsync("/login", login.Form("login-link"), ("Email", person.Email));
        var link = $"/login?token={await system.ReadLoginTokenAsync(person.Email, before)}";
        var opened = await atA.GetAsync(link);

        using var atB = atA.Copy(_b);
        var answer = await atB.SubmitAsync(link, opened.Form("login"));

        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        Assert.NotNull(answer.Cookie("shifts"));
        Assert.True((await atB.GetAsync("/not-found")).SignedIn);
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        if (Directory.Exists(_otherKeyRing))
        {
            Directory.Delete(_otherKeyRing, recursive: true);
        }
    }
}
