using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;
using Shifts.ServiceDefaults.Database;
using Shifts.Testing;
using Shifts.Volunteers.Tokens;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>
/// Where the signing key comes from and how it rotates. Each test runs its own service instances
/// on a database of its own, one after the other, as replicas and redeployments would.
/// </summary>
public sealed class SigningKeyTests : IAsyncLifetime
{
    private readonly string _adminEmail = $"admin-{Guid.NewGuid():N}@example.org";
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("keys", create: false);
        _broker = await TestBroker.CreateAsync("keys");
        _db = _database.CreateDataSource();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_once_and_kept_across_restarts()
    {
        string firstKid;
        await using (var first = Service())
        {
            first.Start();
            firstKid = Kid(await LoginAsync(first));
        }

        await using var second = Service();
        second.Start();
        Assert.Equal(firstKid, Kid(await LoginAsync(second)));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM signing_keys"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM signing_keys WHERE private_key LIKE '-----BEGIN PRIVATE KEY-----%'"));
    }

    [Fact]
    public async Task Replicas_generating_a_key_at_the_same_moment_agree_on_one()
    {
        await using var service = Service();
        service.Start();
        await ExecuteAsync("UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL"); // as if there were none

        var replicas = Enumerable.Range(0, 6).Select(_ => new SigningKeys(
            service.Services.GetRequiredService<Transactions>(),
            service.Services.GetRequiredService<IOptions<TokenSettings>>(),
            TimeProvider.System,
            NullLogger<SigningKeys>.Instance)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => Task.Run(() => r.StartAsync(CancellationToken.None))));

            Assert.Single(replicas.Select(r => r.Current.KeyId).Distinct());
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL"));
            Assert.Equal(2, replicas[0].Published.Count); // the new key and the one retired a moment ago
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.StopAsync(CancellationToken.None);
                replica.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_configured_key_takes_over_and_tokens_of_the_key_it_replaced_stay_valid_until_they_expire()
    {
        string oldToken;
        await using (var generated = Service())
        {
            generated.Start();
            oldToken = await LoginAsync(generated);
        }

        using var configured = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var service = Service(new()
        {
            ["Auth:SigningKey"] = configured.ExportECPrivateKeyPem(),
            ["Auth:KeyRefreshInterval"] = "00:00:00.200",
        });
        service.Start();

        var newToken = await LoginAsync(service);
        Assert.Equal(SigningKeys.KeyId(configured), Kid(newToken));
        Assert.NotEqual(Kid(oldToken), Kid(newToken));
        using var client = new HttpClient { BaseAddress = service.Address };
        var keys = await PublishedKidsAsync(client);
        Assert.Equal([Kid(newToken), Kid(oldToken)], keys);
        Assert.Equal(HttpStatusCode.OK, (await GetMeAsync(client, oldToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetMeAsync(client, newToken)).StatusCode);
        // Only the public half of a configured key is stored.
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM signing_keys WHERE kid = '{Kid(newToken)}' AND private_key IS NULL"));

        // Once every token the old key signed has expired, it is no longer published or accepted.
        await ExecuteAsync($"UPDATE signing_keys SET retired_at = now() - interval '9 hours' WHERE kid = '{Kid(oldToken)}'");
        await Eventually.Async(async () => (await PublishedKidsAsync(client)).Count <= 1, TimeSpan.FromSeconds(10), "the retired key to leave the published set");

        Assert.Equal([Kid(newToken)], await PublishedKidsAsync(client));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(client, oldToken)).StatusCode);
    }

    [Fact]
    public async Task A_configured_key_in_PKCS8_with_escaped_newlines_is_accepted()
    {
        using var configured = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var service = Service(new() { ["Auth:SigningKey"] = configured.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal) });
        service.Start();

        Assert.Equal(SigningKeys.KeyId(configured), Kid(await LoginAsync(service)));
    }

    [Theory]
    [InlineData("not a key", "Auth:SigningKey is not a PEM EC private key")]
    [InlineData("p384", "P-256")]
    [InlineData("public", "Auth:SigningKey is not a PEM EC private key")]
    [InlineData("rsa", "Auth:SigningKey is not a PEM EC private key")]
    public void A_configured_key_that_cannot_sign_ES256_is_refused_with_a_clear_cause(string kind, string expected)
    {
        var failure = Assert.Throws<Shifts.ServiceDefaults.StartupException>(() => SigningKeys.ParsePrivateKey(Pem(kind)));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:SigningKey", "p384")]
    [InlineData("Auth:AccessTokenLifetime", "P30D")]
    [InlineData("Auth:AccessTokenLifetime", "eight hours")]
    [InlineData("Auth:AccessTokenLifetime", "00:00:10")]
    [InlineData("Auth:RefreshTokenLifetime", "P500D")]
    [InlineData("Auth:RefreshTokenLifetime", "00:05:00")] // shorter than the access token
    [InlineData("Auth:SessionLifetime", "a while")]
    public async Task The_service_does_not_start_with_bad_token_settings(string key, string value)
    {
        await using var service = Service(new() { [key] = key == "Auth:SigningKey" ? Pem(value) : value });

        Assert.ThrowsAny<Exception>(() => service.Start());
    }

    [Fact]
    public async Task The_access_token_lifetime_is_configurable()
    {
        await using var service = Service(new() { ["Auth:AccessTokenLifetime"] = "PT1H" });
        service.Start();

        var jwt = new JsonWebToken(await LoginAsync(service));

        Assert.Equal(TimeSpan.FromHours(1), jwt.ValidTo - jwt.IssuedAt);
    }

    private static string Pem(string kind)
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        return kind switch
        {
            "p384" => p384.ExportECPrivateKeyPem(),
            "public" => p256.ExportSubjectPublicKeyInfoPem(),
            "rsa" => rsa.ExportPkcs8PrivateKeyPem(),
            _ => kind,
        };
    }

    private ServiceFactory<VolunteersService> Service(Dictionary<string, string?>? extra = null)
    {
        var settings = VolunteersFixture.Settings(_database, _broker, _adminEmail);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new ServiceFactory<VolunteersService>(settings);
    }

    /// <summary>Logs the bootstrapped admin in, reading the link from the outbox (no mail, no recorder needed).</summary>
    private async Task<string> LoginAsync(ServiceFactory<VolunteersService> service)
    {
        using var client = new HttpClient { BaseAddress = service.Address };
        const string Links = "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%LoginLinkRequested'";
        var before = (long)(await ScalarAsync(Links))!;
        (await client.PostAsJsonAsync("/api/auth/login-links", new { email = _adminEmail })).EnsureSuccessStatusCode();
        // The link is issued just after the answer (LoginLinkQueue).
        await Eventually.Async(async () => (long)(await ScalarAsync(Links))! != before, TimeSpan.FromSeconds(10), "the login link in the outbox");

        var link = (string)(await ScalarAsync(
            "SELECT body->>'link' FROM outbox_messages WHERE message_type LIKE '%LoginLinkRequested' ORDER BY position DESC LIMIT 1"))!;
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token = VolunteersFixture.TokenOf(new Uri(link)) });
        var session = await Problems.JsonAsync(response, HttpStatusCode.OK);
        return session.GetProperty("accessToken").GetString()!;
    }

    private static string Kid(string token) => new JsonWebToken(token).Kid;

    private static async Task<List<string>> PublishedKidsAsync(HttpClient client)
    {
        var set = await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return set.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
    }

    private static async Task<HttpResponseMessage> GetMeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
