using Shifts.ServiceDefaults.Security;
using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.Login;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>
/// Sessions that can end: a login opens a refresh-token family, each refresh rotates it, a reused
/// token revokes it, logout and erasure end it. Time is moved by moving the rows into the past.
/// </summary>
[Collection(nameof(VolunteersCollection))]
public sealed class RefreshTokenTests(VolunteersFixture fixture)
{
    [Fact]
    public async Task A_login_answers_a_refresh_token_that_is_stored_only_as_its_hash()
    {
        var member = await NewMemberAsync();

        var session = await LogInAsync(member.Email);

        var refreshToken = session.GetProperty("refreshToken").GetString()!;
        Assert.Equal(43, refreshToken.Length);
        var secret = Base64Url.DecodeFromChars(refreshToken);
        Assert.Equal(32, secret.Length);
        Assert.Equal(600, session.GetProperty("expiresIn").GetInt32());
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash AND volunteer_id = @id AND spent_at IS NULL AND revoked_at IS NULL",
            ("hash", SHA256.HashData(secret)), ("id", member.Id)));
        // 30 days sliding, 90 days for the family.
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = @hash AND t.expires_at - t.created_at = interval '30 days' AND f.expires_at - f.created_at = interval '90 days'",
            ("hash", SHA256.HashData(secret))));
    }

    [Fact]
    public async Task A_refresh_answers_a_new_pair_and_spends_the_old_refresh_token()
    {
        var member = await NewMemberAsync();
        var first = await LogInAsync(member.Email);

        var second = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(first)), HttpStatusCode.OK);

        Assert.Equal("Bearer", second.GetProperty("tokenType").GetString());
        Assert.Equal(600, second.GetProperty("expiresIn").GetInt32());
        Assert.NotEqual(RefreshTokenOf(first), RefreshTokenOf(second));
        Assert.Equal(member.Id.ToString(), new JsonWebToken(second.GetProperty("accessToken").GetString()).Subject);
        using (var me = fixture.Client(second.GetProperty("accessToken").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/me")).StatusCode);
        }

        // The next one works too, and the one before is spent.
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(second)), HttpStatusCode.OK);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash AND spent_at IS NOT NULL", ("hash", HashOf(RefreshTokenOf(first)))));
    }

    [Fact]
    public async Task A_refresh_carries_the_persons_current_name_and_memberships()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org, "helper");
        var session = await LogInAsync(member.Email);
        await fixture.ExecuteAsync("UPDATE memberships SET role = 'coordinator' WHERE volunteer_id = @id", ("id", member.Id));
        await fixture.ExecuteAsync("UPDATE volunteers SET name = 'Renamed Person' WHERE id = @id", ("id", member.Id));

        var refreshed = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(session)), HttpStatusCode.OK);

        var jwt = new JsonWebToken(refreshed.GetProperty("accessToken").GetString());
        Assert.Equal("Renamed Person", jwt.GetClaim("name").Value);
        Assert.Equal([$"{org}:coordinator"], jwt.Claims.Where(c => c.Type == "mem").Select(c => c.Value));
    }

    [Fact]
    public async Task Presenting_a_spent_refresh_token_again_revokes_its_whole_family_and_only_that()
    {
        var member = await NewMemberAsync();
        var stolen = await LogInAsync(member.Email);
        var otherDevice = await LogInAsync(member.Email);
        var newest = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(stolen)), HttpStatusCode.OK);
        await SpendLongAgoAsync(RefreshTokenOf(stolen));

        // The thief (or the victim) presents the spent token, after the grace:
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(stolen)));

        // The newest token of that family fails now too; the other login lives on.
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(newest)));
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(otherDevice)), HttpStatusCode.OK);
        Assert.Equal(0, await fixture.CountAsync(
            "SELECT count(*) FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE f.id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash) AND (t.revoked_at IS NULL OR f.revoked_at IS NULL)",
            ("hash", HashOf(RefreshTokenOf(stolen)))));
    }

    [Fact]
    public async Task Of_many_refreshes_racing_with_one_token_exactly_one_succeeds_and_the_session_goes_on()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);
        using var client = fixture.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshTokenOf(session) })));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        // The losers come within the grace: refused as superseded, and the family lives on.
        foreach (var loser in responses.Where(r => r != winner))
        {
            await Problems.AssertAsync(loser, HttpStatusCode.Conflict, "refresh-token-superseded");
        }

        Assert.Equal(2, await fixture.CountAsync(
            "SELECT count(*) FROM refresh_tokens WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)",
            ("hash", HashOf(RefreshTokenOf(session)))));
        var next = await Problems.JsonAsync(winner, HttpStatusCode.OK);
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(next)), HttpStatusCode.OK);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_token_spent_moments_ago_is_refused_as_superseded_and_revokes_nothing_but_after_the_grace_it_revokes_the_family()
    {
        var member = await NewMemberAsync();
        var first = await LogInAsync(member.Email);
        var second = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(first)), HttpStatusCode.OK);

        await Problems.AssertAsync(await RefreshAsync(RefreshTokenOf(first)), HttpStatusCode.Conflict, "refresh-token-superseded");
        var third = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(second)), HttpStatusCode.OK);

        await SpendLongAgoAsync(RefreshTokenOf(first));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(first)));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(third)));
    }

    /// <summary>Moves a spent token's use past the reuse grace (30 s by default).</summary>
    private Task SpendLongAgoAsync(string refreshToken) =>
        fixture.ExecuteAsync("UPDATE refresh_tokens SET spent_at = spent_at - interval '1 minute' WHERE token_hash = @hash", ("hash", HashOf(refreshToken)));

    [Fact]
    public async Task Logout_revokes_that_session_and_no_other()
    {
        var member = await NewMemberAsync();
        var phone = await LogInAsync(member.Email);
        var laptop = await LogInAsync(member.Email);

        using var response = await LogoutAsync(AccessTokenOf(phone), new { refreshToken = RefreshTokenOf(phone) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(phone)));
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(laptop)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_everywhere_revokes_every_session_of_the_caller_and_none_of_anyone_else()
    {
        var anna = await NewMemberAsync();
        var ben = await NewMemberAsync();
        var annaPhone = await LogInAsync(anna.Email);
        var annaLaptop = await LogInAsync(anna.Email);
        var annaRefreshed = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(annaLaptop)), HttpStatusCode.OK);
        var bens = await LogInAsync(ben.Email);

        using var response = await LogoutAsync(AccessTokenOf(annaPhone), new { everywhere = true });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(annaPhone)));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(annaRefreshed)));
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(bens)), HttpStatusCode.OK);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM refresh_families WHERE volunteer_id = @id AND revoked_at IS NULL", ("id", anna.Id)));
    }

    [Fact]
    public async Task Logging_out_with_someone_elses_refresh_token_revokes_nothing()
    {
        var anna = await NewMemberAsync();
        var ben = await NewMemberAsync();
        var annas = await LogInAsync(anna.Email);
        var bens = await LogInAsync(ben.Email);

        using var response = await LogoutAsync(AccessTokenOf(annas), new { refreshToken = RefreshTokenOf(bens) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(bens)), HttpStatusCode.OK);
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(annas)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_needs_a_signed_in_caller_and_says_what_to_end()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);

        using (var anonymous = fixture.Client())
        {
            await Problems.AssertUnauthenticatedAsync(await anonymous.PostAsJsonAsync("/api/auth/logout", new { refreshToken = RefreshTokenOf(session) }));
        }

        await Problems.AssertValidationAsync(await LogoutAsync(AccessTokenOf(session), new { }), "refreshToken");
        await Problems.AssertValidationAsync(await LogoutAsync(AccessTokenOf(session), new { refreshToken = new string('A', 201) }), "refreshToken");
        // A malformed token is nobody's: nothing to revoke, and the same answer as for someone else's.
        Assert.Equal(HttpStatusCode.NoContent, (await LogoutAsync(AccessTokenOf(session), new { refreshToken = "not a token" })).StatusCode);
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(session)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Erasure_deletes_the_persons_sessions()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);
        var other = await LogInAsync(member.Email);

        using (var me = fixture.Client(AccessTokenOf(session)))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await me.DeleteAsync("/api/me")).StatusCode);
        }

        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(session)));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(other)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM refresh_tokens WHERE volunteer_id = @id", ("id", member.Id)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM refresh_families WHERE volunteer_id = @id", ("id", member.Id)));
    }

    [Fact]
    public async Task RevokeAll_in_a_transaction_ends_every_session_of_the_person()
    {
        var member = await NewMemberAsync();
        var first = await LogInAsync(member.Email);
        var second = await LogInAsync(member.Email);
        var transactions = fixture.Services.GetRequiredService<Transactions>();

        await transactions.RunAsync((tx, ct) => RefreshTokens.RevokeAllAsync(tx, member.Id, ct), CancellationToken.None);

        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(first)));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(second)));
    }

    [Fact]
    public async Task An_expired_refresh_token_is_refused_without_revoking_anything()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);
        var hash = HashOf(RefreshTokenOf(session));
        await fixture.ExecuteAsync("UPDATE refresh_tokens SET created_at = created_at - interval '30 days', expires_at = expires_at - interval '30 days' WHERE token_hash = @hash", ("hash", hash));

        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(session)));

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash AND spent_at IS NULL AND revoked_at IS NULL", ("hash", hash)));
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_limit_however_often_it_was_refreshed()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);
        var hash = HashOf(RefreshTokenOf(session));

        // An hour before the family's end, the next token lives only until that end.
        await fixture.ExecuteAsync("UPDATE refresh_families SET expires_at = now() + interval '1 hour' WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", ("hash", hash));
        var next = await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(session)), HttpStatusCode.OK);
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = @hash AND t.expires_at = f.expires_at",
            ("hash", HashOf(RefreshTokenOf(next)))));

        // Past the end, the current token is refused although it has not expired by itself.
        await fixture.ExecuteAsync("UPDATE refresh_families SET expires_at = now() - interval '1 second' WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", ("hash", hash));
        await fixture.ExecuteAsync("UPDATE refresh_tokens SET expires_at = now() + interval '1 day' WHERE token_hash = @hash", ("hash", HashOf(RefreshTokenOf(next))));
        await Problems.AssertUnauthenticatedAsync(await RefreshAsync(RefreshTokenOf(next)));
    }

    [Fact]
    public async Task The_refresh_endpoint_needs_no_bearer_but_refuses_an_invalid_one()
    {
        var member = await NewMemberAsync();
        var session = await LogInAsync(member.Email);
        using var expired = fixture.Client(fixture.Tokens.Mint(member.Id, member.Name, lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1)));

        // A stale Authorization header is a 401 on every endpoint: refresh is sent without one.
        await Problems.AssertUnauthenticatedAsync(await expired.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshTokenOf(session) }));
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(session)), HttpStatusCode.OK);
    }

    public static TheoryData<string> GarbageBodies() => new()
    {
        "{}",
        "{\"refreshToken\": null}",
        "{\"refreshToken\": \"\"}",
        "{\"refreshToken\": \"   \"}",
        "{\"refreshToken\": 42}",
        "{\"refreshToken\": [\"a\"]}",
        "{\"refreshToken\": \"" + new string('A', 201) + "\"}",
        "{\"refreshToken\": \"" + new string('A', 10_000) + "\"}",
        "{\"refreshToken\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
        "{\"refreshToken\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\"}",
        "{\"refreshToken\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
        "{\"refreshToken\": \"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\"}",
        "{\"refreshToken\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\u0000\"}",
        "{\"refreshToken\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\ud800\"}",
        "{\"refreshToken\": \"ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ\"}",
        "{\"refreshToken\": ",
        "[]",
        "null",
    };

    [Theory]
    [MemberData(nameof(GarbageBodies))]
    public async Task Garbage_refresh_requests_get_a_400_or_401_problem_never_a_500(string body)
    {
        using var client = fixture.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/auth/refresh", content);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await Problems.AssertAsync(response, response.StatusCode, response.StatusCode == HttpStatusCode.BadRequest ? "validation" : "unauthenticated");
    }

    [Theory]
    [MemberData(nameof(GarbageBodies))]
    public async Task Garbage_logout_requests_get_a_204_or_a_400_problem_never_a_500(string body)
    {
        var member = await NewMemberAsync();
        using var client = fixture.Client(AccessTokenOf(await LogInAsync(member.Email)));
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/auth/logout", content);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NoContent, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        }
    }

    [Fact]
    public void Every_token_we_issue_is_read_back_and_only_its_canonical_spelling_counts()
    {
        for (var i = 0; i < 2000; i++)
        {
            var (token, hash) = OpaqueTokens.Create();
            Assert.Equal(hash, OpaqueTokens.HashOf(token));

            // The other three spellings of the last character decode to the same bytes: none counts.
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            var last = alphabet.IndexOf(token[^1], StringComparison.Ordinal);
            for (var stray = 1; stray < 4; stray++)
            {
                Assert.Null(OpaqueTokens.HashOf(token[..^1] + alphabet[last + stray]));
            }
        }
    }

    [Fact]
    public async Task Housekeeping_forgets_sessions_a_day_after_they_ended_and_keeps_live_ones()
    {
        var member = await NewMemberAsync();
        var live = await LogInAsync(member.Email);
        var revoked = await LogInAsync(member.Email);
        var unused = await LogInAsync(member.Email);
        var revokedRecently = await LogInAsync(member.Email);
        await fixture.ExecuteAsync("UPDATE refresh_families SET revoked_at = now() - interval '25 hours' WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", ("hash", HashOf(RefreshTokenOf(revoked))));
        await fixture.ExecuteAsync("UPDATE refresh_families SET revoked_at = now() - interval '1 hour' WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", ("hash", HashOf(RefreshTokenOf(revokedRecently))));
        await fixture.ExecuteAsync("UPDATE refresh_tokens SET expires_at = now() - interval '25 hours' WHERE token_hash = @hash", ("hash", HashOf(RefreshTokenOf(unused))));
        var housekeeping = fixture.Services.GetServices<IHostedService>().OfType<LoginHousekeeping>().Single();

        await housekeeping.ForgetEndedSessionsAsync(CancellationToken.None);

        Assert.Equal(1, await CountTokenAsync(live));
        Assert.Equal(0, await CountTokenAsync(revoked));
        Assert.Equal(0, await CountTokenAsync(unused));
        Assert.Equal(1, await CountTokenAsync(revokedRecently));
        // The two kept, and the session that confirming the membership opened for the new person (live too).
        Assert.Equal(3, await fixture.CountAsync("SELECT count(*) FROM refresh_families WHERE volunteer_id = @id", ("id", member.Id)));
        await Problems.JsonAsync(await RefreshAsync(RefreshTokenOf(live)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_refresh_and_logout_with_their_problems()
    {
        using var client = fixture.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var (path, statuses) in new[] { ("/api/auth/sessions", new[] { "200", "400", "401", "429" }), ("/api/auth/refresh", ["200", "400", "401", "429"]), ("/api/auth/logout", ["204", "400", "401"]) })
        {
            var post = paths.GetProperty(path).GetProperty("post");
            Assert.True(post.TryGetProperty("requestBody", out _), $"{path} documents its body");
            Assert.True(post.TryGetProperty("summary", out _), $"{path} has a summary");
            foreach (var status in statuses)
            {
                Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), $"{path} documents {status}");
            }
        }

        var session = document.GetProperty("components").GetProperty("schemas").GetProperty("Session").GetProperty("properties");
        Assert.True(session.TryGetProperty("refreshToken", out _), "the Session schema has refreshToken");
    }

    private async Task<Member> NewMemberAsync() => await fixture.AddMemberAsync(await fixture.CreateOrganisationAsync());

    private async Task<JsonElement> LogInAsync(string email)
    {
        var token = await fixture.LoginLinkTokenAsync(email);
        using var client = fixture.Client();
        return await Problems.JsonAsync(await client.PostAsJsonAsync("/api/auth/sessions", new { token }), HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var client = fixture.Client();
        return await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
    }

    private async Task<HttpResponseMessage> LogoutAsync(string accessToken, object body)
    {
        using var client = fixture.Client(accessToken);
        return await client.PostAsJsonAsync("/api/auth/logout", body);
    }

    private Task<long> CountTokenAsync(JsonElement session) =>
        fixture.CountAsync("SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash", ("hash", HashOf(RefreshTokenOf(session))));

    private static string RefreshTokenOf(JsonElement session) => session.GetProperty("refreshToken").GetString()!;

    private static string AccessTokenOf(JsonElement session) => session.GetProperty("accessToken").GetString()!;

    private static byte[] HashOf(string token) => SHA256.HashData(Base64Url.DecodeFromChars(token));
}
