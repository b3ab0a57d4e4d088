using System.Net;
using Shifts.Events;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>Readiness follows the broker: unhealthy while RabbitMQ is unreachable, healthy again when it returns.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private TcpProxy _proxy = null!;
    private ServiceFactory<EventsService> _events = null!;
    private HttpClient _client = null!;
    private readonly TestTokens _tokens = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("ready", create: false);
        _broker = await TestBroker.CreateAsync("ready");
        // The service reaches RabbitMQ through a proxy the test can cut, so the real broker
        // stays up for every other test in the run.
        _proxy = new TcpProxy(_broker.Uri.Host, _broker.Uri.Port);
        var throughProxy = _proxy.AddressFor(_broker.Uri);
        _events = new ServiceFactory<EventsService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = _database.ConnectionString,
            ["RabbitMq:Uri"] = throughProxy.ToString(),
            ["Auth:PublicKeys"] = _tokens.PublicJwks,
        });
        _client = new HttpClient { BaseAddress = _events.Start() };
    }

    [Fact]
    public async Task Readiness_turns_unhealthy_when_the_broker_goes_away_and_healthy_when_it_returns()
    {
        Assert.Equal(HttpStatusCode.OK, await ReadinessAsync());

        _proxy.Cut();
        await ReadinessBecomesAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        // Liveness does not follow: an orchestrator must not restart a process for a broker outage.
        using (var live = await _client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        _proxy.Restore();
        await ReadinessBecomesAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(60));
    }

    private async Task<HttpStatusCode> ReadinessAsync()
    {
        using var response = await _client.GetAsync("/health/ready");
        return response.StatusCode;
    }

    private Task ReadinessBecomesAsync(HttpStatusCode wanted, TimeSpan timeout) =>
        Eventually.Async(async () => await ReadinessAsync() == wanted, timeout, $"/health/ready to answer {(int)wanted}");

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _tokens.Dispose();
        await _events.DisposeAsync();
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}
