using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shifts.Contracts;

namespace Shifts.Volunteers.Tests.Login;

[Collection(nameof(VolunteersCollection))]
public sealed class LoginTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_login_link_exchanged_once_gives_an_ES256_token_that_validates_against_the_published_keys()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org, "coordinator");
        var token = await fixture.LoginLinkTokenAsync(member.Email);

        using var client = fixture.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", session.GetProperty("tokenType").GetString());
        Assert.Equal(10 * 60, session.GetProperty("expiresIn").GetInt32());
        var accessToken = session.GetProperty("accessToken").GetString()!;

        var jwt = new JsonWebToken(accessToken);
        Assert.Equal("ES256", jwt.Alg);
        var keys = await PublishedKeysAsync(client);
        Assert.Contains(keys, k => k.KeyId == jwt.Kid);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = "shifts",
            ValidAudience = "shifts",
            ValidAlgorithms = ["ES256"],
            IssuerSigningKeys = keys,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(member.Id.ToString(), jwt.Subject);
        Assert.Equal(member.Name, jwt.GetClaim("name").Value);
        Assert.Equal([$"{org}:coordinator"], jwt.Claims.Where(c => c.Type == "mem").Select(c => c.Value));
        Assert.DoesNotContain(jwt.Claims, c => c.Type == "padm");
        Assert.Equal(TimeSpan.FromMinutes(10), jwt.ValidTo - jwt.IssuedAt);
    }

    [Fact]
    public async Task The_platform_admin_token_carries_padm()
    {
        var jwt = new JsonWebToken(await fixture.AdminTokenAsync());

        Assert.Equal("true", jwt.GetClaim("padm").Value);
    }

    [Fact]
    public async Task A_login_token_works_only_once()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var token = await fixture.LoginLinkTokenAsync(member.Email);
        using var client = fixture.Client();

        using var first = await client.PostAsJsonAsync("/api/auth/sessions", new { token });
        using var second = await client.PostAsJsonAsync("/api/auth/sessions", new { token });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRejectedAsync(second);
    }

    [Fact]
    public async Task A_login_token_used_by_many_requests_at_once_logs_in_exactly_one()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var token = await fixture.LoginLinkTokenAsync(member.Email);
        using var client = fixture.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/auth/sessions", new { token })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_login_link_is_valid_for_15_minutes_and_not_after()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var requestedAt = DateTimeOffset.UtcNow;
        var token = await fixture.LoginLinkTokenAsync(member.Email);
        var hash = SHA256.HashData(Base64UrlEncoder.DecodeBytes(token));

        // The link says 15 minutes, and so does the row.
        var link = fixture.Received<LoginLinkRequested>(m => m.Email == member.Email)[^1].Message;
        Assert.InRange(link.ExpiresAt - requestedAt, TimeSpan.FromMinutes(14.5), TimeSpan.FromMinutes(15.5));
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM login_links WHERE token_hash = @hash AND expires_at - created_at = interval '15 minutes'", ("hash", hash)));

        // Fifteen minutes later (moved into the past rather than waited for):
        await fixture.ExecuteAsync(
            "UPDATE login_links SET created_at = created_at - interval '15 minutes', expires_at = expires_at - interval '15 minutes' WHERE token_hash = @hash",
            ("hash", hash));
        using var client = fixture.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token });

        await AssertRejectedAsync(response);
    }

    [Fact]
    public async Task A_login_token_logs_in_the_person_it_was_sent_to_and_no_one_else()
    {
        var org = await fixture.CreateOrganisationAsync();
        var anna = await fixture.AddMemberAsync(org, "helper");
        var ben = await fixture.AddMemberAsync(org, "admin");
        var annasToken = await fixture.LoginLinkTokenAsync(anna.Email);
        await fixture.LoginLinkTokenAsync(ben.Email);

        using var client = fixture.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token = annasToken });

        var jwt = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        Assert.Equal(anna.Id.ToString(), jwt.Subject);
        Assert.Equal([$"{org}:helper"], jwt.Claims.Where(c => c.Type == "mem").Select(c => c.Value));
    }

    [Fact]
    public async Task An_access_token_from_a_login_is_accepted_by_the_service_itself()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var accessToken = await fixture.LoginAsync(member.Email);

        using var client = fixture.Client(accessToken);
        using var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-token")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // 43 characters, but not canonical base64url (stray low bits)
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ")]
    public async Task An_unknown_or_malformed_login_token_gets_401(string token)
    {
        using var client = fixture.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token });

        await AssertRejectedAsync(response);
    }

    [Theory]
    [InlineData("{}", "token")]
    [InlineData("{\"token\": 42}", "token")]
    [InlineData("{\"token\": ", "body")]
    public async Task A_session_request_without_a_token_string_gets_400(string body, string field)
    {
        using var client = fixture.Client();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/auth/sessions", content);

        await Problems.AssertValidationAsync(response, field);
    }

    [Fact]
    public async Task A_login_link_request_for_an_unknown_address_is_accepted_and_mails_nothing()
    {
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/api/auth/login-links", new { email = unknown });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await fixture.LoginLinkTokenAsync(fixture.AdminEmail); // published after: the unknown one would be here by now
        Assert.Empty(fixture.Received<LoginLinkRequested>(m => m.Email == unknown));
    }

    [Fact]
    public async Task Housekeeping_forgets_login_links_a_day_after_they_expired_and_finished_rate_windows()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var fresh = SHA256.HashData(Base64UrlEncoder.DecodeBytes(await fixture.LoginLinkTokenAsync(member.Email)));
        var old = SHA256.HashData(Base64UrlEncoder.DecodeBytes(await fixture.LoginLinkTokenAsync(member.Email)));
        await fixture.ExecuteAsync("UPDATE login_links SET expires_at = now() - interval '25 hours' WHERE token_hash = @hash", ("hash", old));
        await fixture.ExecuteAsync("INSERT INTO rate_limit_buckets (bucket, tokens, updated_at) VALUES ('test:old', 3, now() - interval '1 hour'), ('test:recent', 3, now())");
        var housekeeping = fixture.Services.GetServices<IHostedService>().OfType<Shifts.Volunteers.Login.LoginHousekeeping>().Single();
        var limits = fixture.Services.GetRequiredService<Shifts.Volunteers.Login.RateLimits>();

        await housekeeping.ForgetOldLinksAsync(CancellationToken.None);
        await limits.ForgetOldWindowsAsync(CancellationToken.None);

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM login_links WHERE token_hash = @hash", ("hash", old)));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM login_links WHERE token_hash = @hash", ("hash", fresh)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM rate_limit_buckets WHERE bucket = 'test:old'"));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM rate_limit_buckets WHERE bucket = 'test:recent'"));
    }

    private static async Task AssertRejectedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
        Assert.Equal("This login link is invalid, used or expired. Ask for a new one.", problem.GetProperty("detail").GetString());
    }

    private static async Task<IList<SecurityKey>> PublishedKeysAsync(HttpClient client)
    {
        var json = await client.GetStringAsync("/.well-known/jwks.json");
        return new JsonWebKeySet(json).GetSigningKeys();
    }
}
