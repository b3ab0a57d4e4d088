using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;

namespace Shifts.Testing;

/// <summary>
/// Records the integration events a service under test publishes, as a test-side RabbitMQ
/// consumer sees them (with their MessageId), so tests can assert what went out and how often.
/// </summary>
public sealed class MessageRecorder
{
    private readonly ConcurrentQueue<(Guid MessageId, object Message)> _received = new();

    /// <summary>Subscribes the endpoint to <typeparamref name="T"/> and records every delivery.</summary>
    public void Record<T>(IReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(context =>
        {
            _received.Enqueue((context.MessageId ?? Guid.Empty, context.Message));
            return Task.CompletedTask;
        });

    /// <summary>Messages of one type received so far that match.</summary>
    public IReadOnlyList<(Guid MessageId, T Message)> Received<T>(Func<T, bool>? match = null) =>
        _received.Where(p => p.Message is T m && (match?.Invoke(m) ?? true)).Select(p => (p.MessageId, (T)p.Message)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived (or the timeout passed), then returns all of them.</summary>
    public async Task<IReadOnlyList<(Guid MessageId, T Message)>> ReceivedAsync<T>(Func<T, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Received(match);
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }
}

public static class ServiceClients
{
    /// <summary>A client for a service under test, sending the given access token (or none).</summary>
    public static HttpClient For(Uri address, string? token = null)
    {
        var client = new HttpClient { BaseAddress = address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
