using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// A session through the gateway, as a client lives it: log in from the mail, refresh (anonymously:
/// the refresh token is the credential), use the new access token at every service, log out.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class SessionTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_person_logs_in_from_the_mail_refreshes_and_logs_out_through_the_gateway()
    {
        var email = system.AdminEmail;
        var before = (await system.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        await Http.ExpectAsync(HttpStatusCode.Accepted, await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email }));
        var loginToken = await system.ReadLoginTokenAsync(email, before);

        var session = await Http.ExpectAsync(HttpStatusCode.OK, await system.Gateway.PostAsJsonAsync("/api/auth/sessions", new { token = loginToken }));
        Assert.Equal("Bearer", session.GetProperty("tokenType").GetString());
        Assert.InRange(session.GetProperty("expiresIn").GetInt32(), 60, 3600);

        // No Authorization header: the gateway lets the refresh through to the volunteers service.
        var refreshed = await Http.ExpectAsync(HttpStatusCode.OK, await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(session) }));
        Assert.NotEqual(RefreshToken(session), RefreshToken(refreshed));

        // The new access token works at the gateway and at each service behind it.
        using var signedIn = Client(AccessToken(refreshed));
        await Http.ExpectAsync(HttpStatusCode.OK, await signedIn.GetAsync("/api/me"));
        await Http.ExpectAsync(HttpStatusCode.OK, await signedIn.GetAsync("/api/me/shifts"));
        await Http.ExpectAsync(HttpStatusCode.OK, await signedIn.GetAsync("/api/me/notifications"));

        // The first refresh token is spent: presented again at once (a second tab, a racing page), it
        // is refused as superseded and the session goes on (after the grace it would end the session:
        // Shifts.Volunteers.Tests prove that).
        using (var again = await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(session) }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("refresh-token-superseded", (await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        }

        await Http.ExpectAsync(HttpStatusCode.OK, await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(refreshed) }));

        // A second login, logged out through the gateway, cannot be refreshed either.
        var second = await LogInAsync(email);
        using (var client = Client(AccessToken(second)))
        {
            using var logout = await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = RefreshToken(second) });
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await ExpectUnauthenticatedAsync(await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(second) }));
    }

    [Fact]
    public async Task Logout_through_the_gateway_needs_a_bearer_token_and_everywhere_ends_every_session()
    {
        var email = system.AdminEmail;
        var phone = await LogInAsync(email);
        var laptop = await LogInAsync(email);

        await ExpectUnauthenticatedAsync(await system.Gateway.PostAsJsonAsync("/api/auth/logout", new { everywhere = true }));

        using (var client = Client(AccessToken(phone)))
        {
            using var logout = await client.PostAsJsonAsync("/api/auth/logout", new { everywhere = true });
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await ExpectUnauthenticatedAsync(await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(phone) }));
        await ExpectUnauthenticatedAsync(await system.Gateway.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken(laptop) }));
    }

    [Fact]
    public async Task The_volunteers_OpenAPI_document_at_the_gateway_lists_refresh_and_logout()
    {
        var document = await system.Gateway.GetFromJsonAsync<JsonElement>("/openapi/volunteers.json");

        foreach (var path in new[] { "/api/auth/sessions", "/api/auth/refresh", "/api/auth/logout" })
        {
            var responses = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _), $"{path} documents its 401");
        }
    }

    [Fact]
    public async Task The_demo_loader_refreshes_its_sessions_before_their_access_tokens_run_out()
    {
        using var inboxHttp = new HttpClient { BaseAddress = (await Shifts.Testing.TestServers.GetAsync()).SmtpApi };
        var time = new MovableTime(DateTimeOffset.UtcNow);
        var gateway = new Shifts.Demo.Api.GatewayClient(system.Gateway);
        var logins = new Shifts.Demo.Api.Logins(gateway, new Shifts.Demo.Api.MailInbox(inboxHttp), time);
        var first = await logins.LogInAsync(system.AdminEmail, CancellationToken.None);
        Assert.Equal(first, await logins.CurrentAsync(first, CancellationToken.None));

        // Past two thirds of the access token's life, the next request goes with a refreshed token.
        time.Now += TimeSpan.FromMinutes(7);
        var me = await gateway.GetAsync("/api/me", first, CancellationToken.None);
        var renewed = await logins.CurrentAsync(first, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, await logins.CurrentAsync(first, CancellationToken.None));
        Assert.Equal("unrelated", await logins.CurrentAsync("unrelated", CancellationToken.None));
    }

    private sealed class MovableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private async Task<JsonElement> LogInAsync(string email)
    {
        var before = (await system.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        await Http.ExpectAsync(HttpStatusCode.Accepted, await system.Gateway.PostAsJsonAsync("/api/auth/login-links", new { email }));
        var token = await system.ReadLoginTokenAsync(email, before);
        return await Http.ExpectAsync(HttpStatusCode.OK, await system.Gateway.PostAsJsonAsync("/api/auth/sessions", new { token }));
    }

    private HttpClient Client(string accessToken)
    {
        var client = new HttpClient { BaseAddress = system.Gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static async Task ExpectUnauthenticatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {(int)response.StatusCode}: {body}");
            Assert.Equal("unauthenticated", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        }
    }

    private static string AccessToken(JsonElement session) => session.GetProperty("accessToken").GetString()!;

    private static string RefreshToken(JsonElement session) => session.GetProperty("refreshToken").GetString()!;
}
