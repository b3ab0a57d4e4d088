using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shifts.Testing;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>Two replicas of the service on one database, with small limits, counting together.</summary>
public sealed class RateLimitFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<VolunteersService> _first = null!;
    private ServiceFactory<VolunteersService> _second = null!;

    public string KnownEmail { get; } = $"known-{Guid.NewGuid():N}@example.org";

    public Uri First { get; private set; } = null!;

    public Uri Second { get; private set; } = null!;

    public IServiceProvider Services => _first.Services;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("limits", create: false);
        _broker = await TestBroker.CreateAsync("limits");
        var settings = VolunteersFixture.Settings(_database, _broker, KnownEmail);
        settings["RateLimits:LinksPerAddress"] = "3";
        settings["RateLimits:LinksPerClient"] = "5";
        settings["RateLimits:SessionsPerClient"] = "4";
        settings["RateLimits:SignupsPerOrganisation"] = "4";
        settings["RateLimits:Window"] = "00:15:00";
        _first = new ServiceFactory<VolunteersService>(settings);
        First = _first.Start();
        _second = new ServiceFactory<VolunteersService>(settings);
        Second = _second.Start();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var db = _database.CreateDataSource();
        await using var command = db.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = _database.CreateDataSource();
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_fourth_link_for_one_address_in_a_window_gets_429_with_Retry_After_whether_or_not_the_address_is_known(bool known)
    {
        var email = known ? fixture.KnownEmail : $"unknown-{Guid.NewGuid():N}@example.org";
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await LinkAsync(fixture.First, email, NewClient());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await LinkAsync(fixture.First, email.ToUpperInvariant(), NewClient());

        await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 15 * 60);
    }

    [Fact]
    public async Task One_client_asking_for_many_addresses_gets_429_after_its_limit()
    {
        var client = NewClient();
        for (var i = 0; i < 5; i++)
        {
            using var accepted = await LinkAsync(fixture.First, $"a{i}-{Guid.NewGuid():N}@example.org", client);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await LinkAsync(fixture.First, $"more-{Guid.NewGuid():N}@example.org", client);
        using var otherClient = await LinkAsync(fixture.First, $"more-{Guid.NewGuid():N}@example.org", NewClient());

        await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.Accepted, otherClient.StatusCode);
    }

    [Fact]
    public async Task Replicas_count_together()
    {
        var email = $"replicas-{Guid.NewGuid():N}@example.org";
        var replicas = new[] { fixture.First, fixture.Second, fixture.First };
        foreach (var replica in replicas)
        {
            using var accepted = await LinkAsync(replica, email, NewClient());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await LinkAsync(fixture.Second, email, NewClient());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task Requests_at_the_same_moment_are_counted_exactly()
    {
        var email = $"burst-{Guid.NewGuid():N}@example.org";

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => LinkAsync(i % 2 == 0 ? fixture.First : fixture.Second, email, NewClient())));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Signing_up_counts_against_the_same_address_limit()
    {
        var email = $"signup-{Guid.NewGuid():N}@example.org";
        using var http = new HttpClient { BaseAddress = fixture.First };
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orgs/no-such-org/signup") { Content = JsonContent.Create(new { name = "N", email }) };
            request.Headers.Add("X-Forwarded-For", NewClient());
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var refused = await LinkAsync(fixture.First, email, NewClient());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task Guessing_login_tokens_from_one_client_gets_429_after_its_limit()
    {
        var client = NewClient();
        using var http = new HttpClient { BaseAddress = fixture.First };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sessions") { Content = JsonContent.Create(new { token = new string('A', 43) }) };
            request.Headers.Add("X-Forwarded-For", $"10.0.0.1, {client}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_bucket_refills_over_the_window_and_buckets_do_not_keep_addresses()
    {
        var email = $"window-{Guid.NewGuid():N}@example.org";
        for (var i = 0; i < 4; i++)
        {
            (await LinkAsync(fixture.First, email, NewClient())).Dispose();
        }

        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM rate_limit_buckets WHERE bucket LIKE '%{email}%'"));
        await fixture.ExecuteAsync("UPDATE rate_limit_buckets SET updated_at = updated_at - interval '5 minutes'"); // a third of the window later: one token of three back

        using var accepted = await LinkAsync(fixture.First, email, NewClient());
        using var refused = await LinkAsync(fixture.First, email, NewClient());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task Sign_ups_for_one_organisation_are_limited_per_organisation_whatever_the_address_and_client()
    {
        var limits = fixture.Services.GetRequiredService<Shifts.Volunteers.Login.RateLimits>();
        var org = $"org-{Guid.NewGuid():N}";
        var results = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(NewClient());
            results.Add(await limits.SignupRequestAsync(context, org, $"s{i}-{Guid.NewGuid():N}@example.org", CancellationToken.None) is null);
        }

        var other = new DefaultHttpContext();
        other.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(NewClient());
        var otherOrganisation = await limits.SignupRequestAsync(other, $"org-{Guid.NewGuid():N}", $"x-{Guid.NewGuid():N}@example.org", CancellationToken.None);

        Assert.Equal([true, true, true, true, false], results);
        Assert.Null(otherOrganisation);
    }

    /// <summary>A client address of its own (from the documentation range), as the gateway would forward it.</summary>
    private static string NewClient() => $"2001:db8::{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}";

    private static async Task<HttpResponseMessage> LinkAsync(Uri replica, string email, string client)
    {
        using var http = new HttpClient { BaseAddress = replica };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login-links") { Content = JsonContent.Create(new { email }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await http.SendAsync(request);
    }
}
