using System.Net;
using System.Net.Http.Json;
using Shifts.Gateway;
using Shifts.Testing;
using Shifts.Volunteers;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The volunteers service (3 login links per client and window) behind two gateways: one that
/// trusts loopback, as it would trust an ingress in front of it, and one that trusts only a proxy
/// it never hears from (192.0.2.10), as a gateway reached directly.
/// </summary>
public sealed class ProxyChainFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly TestTokens _tokens = new();

    public HttpClient BehindIngress { get; private set; } = null!;

    public HttpClient Direct { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var database = Own(await TestDatabase.CreateAsync("chain", create: false));
        var broker = Own(await TestBroker.CreateAsync("chain"));
        var tokens = _tokens;
        var volunteers = Own(new ServiceFactory<VolunteersService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Uri"] = broker.Uri.ToString(),
            ["Shifts:PublicBaseUrl"] = "http://localhost:8080",
            ["Shifts:Bootstrap:AdminEmail"] = $"admin-{Guid.NewGuid():N}@example.org",
            ["Auth:PublicKeys"] = tokens.PublicJwks,
            ["RateLimits:LinksPerClient"] = "3",
        })).Start();

        HttpClient Gateway(string? trustedProxies) => new()
        {
            BaseAddress = Own(new ServiceFactory<GatewayService>(new Dictionary<string, string?>
            {
                ["Services:Volunteers"] = volunteers.ToString(),
                ["Services:Events"] = "http://127.0.0.1:9",
                ["Services:Notifications"] = "http://127.0.0.1:9",
                ["Services:Web"] = "http://127.0.0.1:9",
                ["Auth:PublicKeys"] = tokens.PublicJwks,
                ["Auth:Authority"] = volunteers.ToString(),
                ["Network:TrustedProxies"] = trustedProxies,
            })).Start(),
        };

        BehindIngress = Gateway(null);
        Direct = Gateway("192.0.2.10");
    }

    private T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public async Task DisposeAsync()
    {
        BehindIngress.Dispose();
        Direct.Dispose();
        _tokens.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}

public sealed class ProxyChainTests(ProxyChainFixture fixture) : IClassFixture<ProxyChainFixture>
{
    [Fact]
    public async Task Behind_a_trusted_ingress_the_gateway_passes_each_clients_own_address_to_the_service()
    {
        var first = await LinksAsync(fixture.BehindIngress, 4, _ => "198.51.100.1");
        var other = await LinksAsync(fixture.BehindIngress, 1, _ => "198.51.100.2");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.Accepted], other);
    }

    [Fact]
    public async Task A_gateway_reached_directly_ignores_a_forged_X_Forwarded_For_and_the_service_counts_the_real_peer()
    {
        var statuses = await LinksAsync(fixture.Direct, 4, i => $"203.0.113.{i + 1}");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
    }

    private static async Task<List<HttpStatusCode>> LinksAsync(HttpClient gateway, int count, Func<int, string> forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login-links")
            {
                Content = JsonContent.Create(new { email = $"chain{i}-{Guid.NewGuid():N}@example.org" }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            using var response = await gateway.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
