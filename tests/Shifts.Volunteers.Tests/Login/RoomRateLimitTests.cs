using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shifts.Testing;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>The service with the default limits and a clock the tests move, and one organisation.</summary>
public sealed class RoomFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<VolunteersService> _service = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string Org { get; } = $"room-{Guid.NewGuid():N}"[..20];

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("room", create: false);
        _broker = await TestBroker.CreateAsync("room");
        var settings = VolunteersFixture.Settings(_database, _broker, $"admin-{Guid.NewGuid():N}@example.org");
        foreach (var key in settings.Keys.Where(k => k.StartsWith("RateLimits:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key); // the defaults, as deployed
        }

        _service = new ServiceFactory<VolunteersService>(settings, services: services => services.AddSingleton<TimeProvider>(Clock));
        Address = _service.Start();
        await using var db = _database.CreateDataSource();
        await using var insert = db.CreateCommand("INSERT INTO organisations (id, slug, name) VALUES (gen_random_uuid(), @slug, 'New members evening')");
        insert.Parameters.AddWithValue("slug", Org);
        await insert.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>
/// The new-members' evening: many people behind the venue's one address. The per-client limit is
/// only a flood guard; the limits that bite are per address (and per organisation), and a
/// Retry-After is a promise that holds.
/// </summary>
public sealed class RoomRateLimitTests(RoomFixture fixture) : IClassFixture<RoomFixture>
{
    [Fact]
    public async Task Two_rooms_of_forty_sign_up_from_one_address_but_one_address_asking_twenty_times_is_limited()
    {
        var venue = NewClient();

        var first = await SignUpAllAsync(venue, 40);
        var second = await SignUpAllAsync(venue, 40);
        var repeated = new List<HttpStatusCode>();
        var email = $"again-{Guid.NewGuid():N}@example.org";
        for (var i = 0; i < 20; i++)
        {
            using var response = await SignUpAsync(venue, email);
            repeated.Add(response.StatusCode);
        }

        Assert.All(first, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.All(second, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 15)], repeated);
    }

    [Fact]
    public async Task A_client_that_waits_as_Retry_After_says_gets_through_and_one_that_does_not_wait_does_not()
    {
        var client = NewClient();
        var email = $"wait-{Guid.NewGuid():N}@example.org";
        for (var i = 0; i < 5; i++)
        {
            using var accepted = await LinkAsync(client, email);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await LinkAsync(client, email);
        await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = RetryAfter(refused);
        using var impatient = await LinkAsync(client, email); // the clock has not moved
        fixture.Clock.Advance(TimeSpan.FromSeconds(retryAfter - 1));
        using var almost = await LinkAsync(client, email);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        using var patient = await LinkAsync(client, email);

        Assert.Equal(180, retryAfter); // 5 per 15 minutes: one more every 3 minutes, not the rest of a window
        Assert.Equal(HttpStatusCode.TooManyRequests, impatient.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, almost.StatusCode);
        Assert.Equal(1, RetryAfter(almost));
        Assert.Equal(HttpStatusCode.Accepted, patient.StatusCode);
    }

    private async Task<List<HttpStatusCode>> SignUpAllAsync(string client, int people)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < people; i++)
        {
            using var response = await SignUpAsync(client, $"guest{i}-{Guid.NewGuid():N}@example.org");
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> SignUpAsync(string client, string email)
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orgs/{fixture.Org}/signup") { Content = JsonContent.Create(new { name = "Guest", email }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> LinkAsync(string client, string email)
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login-links") { Content = JsonContent.Create(new { email }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await http.SendAsync(request);
    }

    /// <summary>As the gateway (on loopback, trusted by default) forwards it.</summary>
    private static string NewClient() => $"2001:db8::{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}";
}

/// <summary>A service that trusts only a proxy it never hears from (192.0.2.10), with small limits.</summary>
public sealed class UntrustedPeerFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<VolunteersService> _service = null!;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("untrusted", create: false);
        _broker = await TestBroker.CreateAsync("untrusted");
        var settings = VolunteersFixture.Settings(_database, _broker, $"admin-{Guid.NewGuid():N}@example.org");
        settings["RateLimits:LinksPerClient"] = "5";
        settings["Network:TrustedProxies"] = "192.0.2.10";
        _service = new ServiceFactory<VolunteersService>(settings);
        Address = _service.Start();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class ForwardedForTests(UntrustedPeerFixture fixture) : IClassFixture<UntrustedPeerFixture>
{
    [Fact]
    public async Task A_direct_caller_forging_X_Forwarded_For_is_counted_under_its_real_address()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            // A new "client" each time, as someone dodging the per-client limit would claim.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login-links")
            {
                Content = JsonContent.Create(new { email = $"forged{i}-{Guid.NewGuid():N}@example.org" }),
            };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, 5), HttpStatusCode.TooManyRequests], statuses);
    }
}
