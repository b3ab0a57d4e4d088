using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Shifts.Chaos;

/// <summary>One answer the load got: when, what, how long it took, and for a 503 whether it said when to retry.</summary>
public sealed record Answer(DateTime At, string Kind, int Status, double Millis, bool RetryAfter, Guid? ClaimId);

/// <summary>
/// Claim load through the gateway: workers pick a random helper and a random shift of the
/// scenario and claim it, at a steady pace; a prober meanwhile reads through all three services
/// (so a database outage is seen on each one's path, token validation included). Every answer is
/// kept for the report; 201s are the claims the system acknowledged and must never lose.
/// </summary>
public sealed class ClaimLoad(IReadOnlyList<Guid> shifts, IReadOnlyList<Helper> helpers, int workers, TimeSpan pause)
{
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public IReadOnlyList<Answer> Answers => [.. _answers];

    public void Start()
    {
        for (var i = 0; i < workers; i++)
        {
            var random = new Random(i * 7919 + shifts.Count);
            _running.Add(Task.Run(() => ClaimLoopAsync(random)));
        }

        _running.Add(Task.Run(ProbeLoopAsync));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    private async Task ClaimLoopAsync(Random random)
    {
        while (!_stop.IsCancellationRequested)
        {
            var helper = helpers[random.Next(helpers.Count)];
            var shift = shifts[random.Next(shifts.Count)];
            await SendAsync("claim", () => helper.Client.PostAsync($"/api/shifts/{shift}/claims", null));
            await Pause();
        }
    }

    private async Task ProbeLoopAsync()
    {
        var helper = helpers[0];
        var probes = new (string Kind, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("read-volunteers", () => helper.Client.GetAsync("/api/me")),
            ("read-events", () => helper.Client.GetAsync($"/api/orgs/{ChaosSystem.Org}/shifts?limit=5")),
            ("read-notifications", () => helper.Client.GetAsync("/api/me/notifications")),
        };
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var probe = probes[i % probes.Length];
            await SendAsync(probe.Kind, probe.Send);
            await Pause();
        }
    }

    private async Task Pause()
    {
        try
        {
            await Task.Delay(pause, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task SendAsync(string kind, Func<Task<HttpResponseMessage>> send)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await send();
            Guid? claimId = null;
            if (kind == "claim" && response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                claimId = body.RootElement.GetProperty("id").GetGuid();
            }

            _answers.Enqueue(new Answer(started, kind, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds, response.Headers.RetryAfter is not null, claimId));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            // No answer at all (connection refused or reset, timeout): status 0.
            _answers.Enqueue(new Answer(started, kind, 0, clock.Elapsed.TotalMilliseconds, false, null));
        }
    }
}
