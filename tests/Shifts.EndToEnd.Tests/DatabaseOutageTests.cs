using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shifts.Testing;
using Shifts.Volunteers;

namespace Shifts.EndToEnd.Tests;

/// <summary>While PostgreSQL is unreachable a request fails fast with 503 and Retry-After, never 500; the service recovers without a restart.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private TcpProxy _proxy = null!;
    private ServiceFactory<VolunteersService> _volunteers = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("outage");
        _broker = await TestBroker.CreateAsync("outage");
        var direct = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _proxy = new TcpProxy(direct.Host!, direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = _proxy.Port,
            Timeout = 3,
        };
        _volunteers = new ServiceFactory<VolunteersService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = throughProxy.ConnectionString,
            ["RabbitMq:Uri"] = _broker.Uri.ToString(),
        });
        _client = new HttpClient { BaseAddress = _volunteers.Start() };
    }

    [Fact]
    public async Task A_database_outage_answers_503_with_Retry_After_and_the_service_recovers()
    {
        using (var before = await RequestLinkAsync())
        {
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }

        _proxy.Cut();
        using (var during = await RequestLinkAsync())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.True(during.Headers.RetryAfter is not null, "Retry-After is set");
            var problem = await during.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unavailable", problem.GetProperty("code").GetString());
        }

        _proxy.Restore();
        await Eventually.Async(async () =>
        {
            using var after = await RequestLinkAsync();
            return after.StatusCode == HttpStatusCode.Accepted;
        }, TimeSpan.FromSeconds(30), "a login link request to be accepted (202) once the database is back");
    }

    private Task<HttpResponseMessage> RequestLinkAsync() =>
        _client.PostAsJsonAsync("/api/auth/login-links", new { email = "someone@example.org" });

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _volunteers.DisposeAsync();
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}
