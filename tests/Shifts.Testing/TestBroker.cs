using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Shifts.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test class, deleted afterwards: exchanges and
/// queues of parallel test classes never meet.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly HttpClient _management;

    private TestBroker(HttpClient management, string virtualHost, Uri amqp)
    {
        _management = management;
        VirtualHost = virtualHost;
        Uri = amqp;
    }

    public string VirtualHost { get; }

    /// <summary>amqp:// address of the virtual host.</summary>
    public Uri Uri { get; }

    public static async Task<TestBroker> CreateAsync(string purpose)
    {
        var servers = await TestServers.GetAsync();
        var management = ManagementClient(servers.RabbitMqManagement);
        var vhost = $"t-{purpose}-{Guid.NewGuid():N}";
        var user = Uri.UnescapeDataString(servers.RabbitMq.UserInfo.Split(':')[0]);

        (await management.PutAsync($"api/vhosts/{vhost}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();

        var amqp = new UriBuilder(servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(vhost) }.Uri;
        return new TestBroker(management, vhost, amqp);
    }

    /// <summary>Message counts of the vhost's queues, by name (e.g. to find what landed in an _error queue).</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueDepthsAsync()
    {
        var queues = await _management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{VirtualHost}") ?? [];
        return queues.ToDictionary(q => q.Name, q => q.Messages ?? 0);
    }

    /// <summary>How many consumers each of the vhost's queues has, by name (replicas compete on one queue).</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueConsumersAsync()
    {
        var queues = await _management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{VirtualHost}") ?? [];
        return queues.ToDictionary(q => q.Name, q => q.Consumers ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{VirtualHost}");
        _management.Dispose();
    }

    private static HttpClient ManagementClient(Uri management)
    {
        var client = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri };
        var credentials = Uri.UnescapeDataString(management.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }

    private sealed record QueueInfo(string Name, int? Messages, int? Consumers);
}
