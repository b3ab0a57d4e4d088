using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events;
using Shifts.Gateway;
using Shifts.Notifications;
using Shifts.Testing;
using Shifts.Volunteers;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// What the Kubernetes overlays promise when they run several replicas: two instances of every
/// service and two gateways against the same databases and the same RabbitMQ, started together and
/// put under claim load, never do the same work twice.
/// </summary>
public sealed partial class TwoReplicasTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private const int Helpers = 16;
    private const int ShiftCount = 4;
    private const int Capacity = 3;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly MessageRecorder _recorder = new();
    private readonly TestTokens _tokens = new();
    private readonly string _adminEmail = $"admin-{Guid.NewGuid():N}@example.org";
    private TestBroker _broker = null!;
    private SmtpInbox _inbox = null!;
    private IBusControl _recorderBus = null!;
    private Dictionary<string, string> _databases = [];
    private List<Uri> _volunteers = [];
    private HttpClient[] _gateways = [];

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        _broker = Own(await TestBroker.CreateAsync("replicas"));
        _inbox = await SmtpInbox.ConnectAsync();

        // The test listens like a third service would: every ShiftClaimed and VolunteerRegistered, with its MessageId.
        _recorderBus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(_broker.Uri);
            rabbit.ReceiveEndpoint("test-recorder", endpoint =>
            {
                _recorder.Record<ShiftClaimed>(endpoint);
                _recorder.Record<VolunteerRegistered>(endpoint);
            });
        });
        await _recorderBus.StartAsync();

        foreach (var name in new[] { "volunteers", "events", "notifications" })
        {
            _databases[name] = Own(await TestDatabase.CreateAsync(name[..3] + "2x", create: false)).ConnectionString;
        }

        var volunteerPorts = new[] { ServiceFactory<VolunteersService>.FreePort(), ServiceFactory<VolunteersService>.FreePort() };
        Dictionary<string, string?> Settings(string service, int replica) => new()
        {
            // Each replica set trusts "its" volunteers instance; both sign with the one shared key.
            ["Auth:Authority"] = $"http://127.0.0.1:{volunteerPorts[replica]}",
            ["Auth:PublicKeys"] = _tokens.PublicJwks,
            ["ConnectionStrings:Database"] = _databases[service],
            ["RabbitMq:Uri"] = _broker.Uri.ToString(),
            ["Smtp:Host"] = servers.SmtpHost,
            ["Smtp:Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Shifts:PublicBaseUrl"] = "http://localhost:8080",
            ["Shifts:Bootstrap:AdminEmail"] = _adminEmail,
            ["RateLimits:LinksPerClient"] = "100000",
            ["RateLimits:SessionsPerClient"] = "100000",
        };

        // Both replicas of a service start at the same moment, so their migrators race for the
        // advisory lock. Consumers first, so that their queues exist before anything is published.
        var notifications = await StartTogetherAsync(r => new ServiceFactory<NotificationsService>(Settings("notifications", r)));
        var events = await StartTogetherAsync(r => new ServiceFactory<EventsService>(Settings("events", r)));
        _volunteers = [.. await StartTogetherAsync(r => new ServiceFactory<VolunteersService>(Settings("volunteers", r), port: volunteerPorts[r]))];

        _gateways = await Task.WhenAll(Enumerable.Range(0, 2).Select(async r =>
        {
            var gateway = Own(new ServiceFactory<GatewayService>(new Dictionary<string, string?>
            {
                ["Services:Volunteers"] = _volunteers[r].ToString(),
                ["Services:Events"] = events[r].ToString(),
                ["Services:Notifications"] = notifications[r].ToString(),
                ["Services:Web"] = "http://127.0.0.1:9",
                ["Auth:Authority"] = _volunteers[r].ToString(),
                ["Auth:PublicKeys"] = _tokens.PublicJwks,
            }));
            return new HttpClient { BaseAddress = await Task.Run(gateway.Start) };
        }));
    }

    [Fact]
    public async Task Two_replicas_of_every_service_under_claim_load_do_nothing_twice()
    {
        Phase("started");
        // Login on one side, use on the other: both volunteers replicas sign with one key.
        var admin = await LogInAsync(_adminEmail, requestVia: _gateways[0], exchangeVia: _gateways[1]);
        var org = $"rep-{Guid.NewGuid():N}"[..20];
        await Http.ExpectAsync(HttpStatusCode.Created, await Send(_gateways[0], admin, HttpMethod.Post, "/api/orgs", new { slug = org, name = "Replicas", timeZone = "Europe/Berlin" }));
        var coordinatorEmail = $"coord-{Guid.NewGuid():N}@example.org";
        await Http.ExpectAsync(HttpStatusCode.Accepted, await Send(_gateways[1], admin, HttpMethod.Post, $"/api/orgs/{org}/members", new { name = "Carla", email = coordinatorEmail, role = "coordinator" }));
        await ShiftsSystem.ConfirmMembershipAsync(_inbox, _gateways[0], coordinatorEmail);
        var coordinator = _tokens.Mint(await VolunteerIdAsync(coordinatorEmail), "Carla", [(org, "coordinator")]);

        Phase("admin logged in, org and coordinator");
        // One event a week ahead, with non-overlapping shifts of three places each.
        var start = DateTimeOffset.UtcNow.Date.AddDays(7).AddHours(8);
        string At(int hours) => new DateTimeOffset(start.AddHours(hours), TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var created = await Http.EventuallyAsync(() => Send(_gateways[0], coordinator, HttpMethod.Post, $"/api/orgs/{org}/events", new
        {
            title = "Sommerfest",
            kind = "festival",
            location = new { name = "Park", address = "Am Wall 1, Bremen" },
            startsAt = At(0),
            endsAt = At(2 * ShiftCount),
            shifts = Enumerable.Range(0, ShiftCount).Select(i => new { title = $"Schicht {i + 1}", startsAt = At(2 * i), endsAt = At(2 * i + 2), capacity = Capacity, minimum = 1, newcomerFriendly = true }),
        }), HttpStatusCode.Created);
        var view = await Http.ExpectAsync(HttpStatusCode.Created, created);
        var eventId = view.GetProperty("id").GetGuid();
        var shifts = view.GetProperty("shifts").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        await Http.ExpectAsync(HttpStatusCode.OK, await Send(_gateways[1], coordinator, HttpMethod.Post, $"/api/events/{eventId}/publish", null));

        Phase("event created");
        // Helpers sign up through both gateways; the replicas of both other services learn of them.
        var helpers = new List<(Guid Id, string Email, string Token)>();
        for (var i = 0; i < Helpers; i++)
        {
            var email = $"helper{i}-{Guid.NewGuid():N}@example.org";
            await Http.ExpectAsync(HttpStatusCode.Accepted, await _gateways[i % 2].PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = $"Helfer {i}", email, locale = "de" }));
            await ShiftsSystem.ConfirmMembershipAsync(_inbox, _gateways[(i + 1) % 2], email); // the click, through the other replica
            var id = await VolunteerIdAsync(email);
            helpers.Add((id, email, _tokens.Mint(id, $"Helfer {i}", [(org, "helper")])));
        }

        await CountReachesAsync("events", "SELECT count(*) FROM memberships WHERE org = @p AND role = 'helper'", org, Helpers);
        await CountReachesAsync("notifications", "SELECT count(*) FROM memberships m JOIN recipients r ON r.id = m.volunteer_id WHERE m.org = @p AND m.role = 'helper'", org, Helpers);

        Phase("helpers replicated");
        // The load: every helper claims every shift at once, alternating between the two gateways.
        var attempts = helpers.SelectMany(h => shifts.Select(s => (Helper: h, Shift: s))).Select((a, i) => (a.Helper, a.Shift, Gateway: _gateways[i % 2])).ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            using var response = await Send(a.Gateway, a.Helper.Token, HttpMethod.Post, $"/api/shifts/{a.Shift}/claims", null);
            return (a.Helper, a.Shift, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var won = outcomes.Where(o => o.StatusCode == HttpStatusCode.Created).ToList();
        Assert.All(outcomes, o => Assert.True(o.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"a claim answered {(int)o.StatusCode}: {o.Body}"));
        Assert.Equal(ShiftCount * Capacity, won.Count);

        Phase("claims done");
        // No shift over capacity: the database agrees with the answers.
        var confirmed = await QueryAsync("events", "SELECT s.id, s.confirmed, (SELECT count(*) FROM claims c WHERE c.shift_id = s.id AND c.status = 'confirmed') FROM shifts s WHERE s.event_id = @p",
            eventId, r => (Shift: r.GetGuid(0), Counter: r.GetInt32(1), Claims: r.GetInt64(2)));
        Assert.Equal(ShiftCount, confirmed.Count);
        Assert.All(confirmed, s => Assert.Equal((Capacity, (long)Capacity), (s.Counter, s.Claims)));

        // Exactly one ShiftClaimed per claim reached the broker: two relays never sent a row twice.
        await CountReachesAsync("events", "SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL AND message_type = @p", typeof(ShiftClaimed).FullName!, won.Count);
        await CountReachesAsync("events", "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND message_type <> @p", "-", 0, exactly: true);
        var claimed = await _recorder.ReceivedAsync<ShiftClaimed>(m => shifts.Contains(m.Shift.ShiftId), won.Count);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a duplicate would arrive right behind the original
        claimed = _recorder.Received<ShiftClaimed>(m => shifts.Contains(m.Shift.ShiftId));
        Assert.Equal(won.Count, claimed.Count);
        Assert.Equal(won.Count, claimed.Select(c => c.MessageId).Distinct().Count());
        Assert.Equal(won.Count, claimed.Select(c => c.Message.ClaimId).Distinct().Count());
        var outboxIds = await QueryAsync("events", "SELECT id FROM outbox_messages WHERE message_type = @p", typeof(ShiftClaimed).FullName!, r => r.GetGuid(0));
        Assert.Equal(outboxIds.Order(), claimed.Select(c => c.MessageId).Order());

        Phase("ShiftClaimed checked");
        // Every confirmation mail exactly once: wait until the dispatchers sent every delivery, then count.
        await CountReachesAsync("notifications", "SELECT count(*) FROM deliveries WHERE kind = 'claim-confirmed' AND status = 'sent' AND recipient_email LIKE @p", "helper%", won.Count);
        await CountReachesAsync("notifications", "SELECT count(*) FROM deliveries WHERE status NOT IN ('sent', 'failed', 'suppressed') AND recipient_email LIKE @p", "helper%", 0, exactly: true);
        foreach (var helper in helpers)
        {
            var mails = await _inbox.MailsToAsync(helper.Email);
            var confirmations = mails.Count(m => m.Subject.StartsWith("Bestätigt:", StringComparison.Ordinal));
            Assert.Equal(won.Count(w => w.Helper.Id == helper.Id), confirmations);
        }

        Phase("mails checked");
        // Migrations ran once though both replicas started together; bootstrap and key generation once too.
        foreach (var database in _databases.Keys)
        {
            var scripts = await QueryAsync(database, "SELECT scriptname FROM schemaversions WHERE @p IS NOT NULL", "-", r => r.GetString(0));
            Assert.NotEmpty(scripts);
            Assert.Equal(scripts.Count, scripts.Distinct().Count());
        }

        Assert.Single(await QueryAsync("volunteers", "SELECT kid FROM signing_keys WHERE retired_at IS NULL AND @p IS NOT NULL", "-", r => r.GetString(0)));
        Assert.Single(await QueryAsync("volunteers", "SELECT id FROM volunteers WHERE lower(email) = lower(@p)", _adminEmail, r => r.GetGuid(0)));
        Assert.Single(_recorder.Received<VolunteerRegistered>(m => string.Equals(m.Email, _adminEmail, StringComparison.OrdinalIgnoreCase)));
        using var jwks0 = new HttpClient { BaseAddress = _volunteers[0] };
        using var jwks1 = new HttpClient { BaseAddress = _volunteers[1] };
        Assert.Equal(await jwks0.GetStringAsync("/.well-known/jwks.json"), await jwks1.GetStringAsync("/.well-known/jwks.json"));

        // Consumers compete on one queue per endpoint: each service's queues have both replicas on them.
        // The management API refreshes its consumer counts every few seconds, so a count of 0 right
        // after start is the statistics lagging; wait until they settle, then check them all.
        // The assertions run inside the probe, so a timeout reports the last counts.
        await Eventually.Async(async () =>
        {
            var serviceQueues = await ServiceQueueConsumersAsync();
            Assert.NotEmpty(serviceQueues);
            Assert.All(serviceQueues, q => Assert.True(q.Value == 2, $"queue {q.Key} has {q.Value} consumers, expected one per replica"));
            return true;
        }, TimeSpan.FromSeconds(30), "one consumer per replica on every service queue");
    }

    private async Task<List<KeyValuePair<string, int>>> ServiceQueueConsumersAsync() =>
        (await _broker.QueueConsumersAsync())
            .Where(q => q.Key.StartsWith("events-", StringComparison.Ordinal) || q.Key.StartsWith("notifications-", StringComparison.Ordinal))
            .Where(q => !q.Key.EndsWith("_error", StringComparison.Ordinal) && !q.Key.EndsWith("_skipped", StringComparison.Ordinal))
            .ToList();

    private void Phase(string name) => output.WriteLine($"{_clock.Elapsed.TotalSeconds:F1} s: {name}");

    private async Task<Uri[]> StartTogetherAsync<T>(Func<int, ServiceFactory<T>> create) where T : class
    {
        var factories = Enumerable.Range(0, 2).Select(create).Select(Own).ToList();
        try
        {
            // A start that never finishes (as RabbitMQ once made one) fails the test instead of hanging the run.
            return await Task.WhenAll(factories.Select(f => Task.Run(f.Start))).WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Two replicas of {typeof(T).Name} did not both start within 2 minutes.");
        }
    }

    private async Task<string> LogInAsync(string email, HttpClient requestVia, HttpClient exchangeVia)
    {
        await Http.ExpectAsync(HttpStatusCode.Accepted, await requestVia.PostAsJsonAsync("/api/auth/login-links", new { email }));
        var token = await Eventually.Async(async () =>
        {
            foreach (var mail in await _inbox.MailsToAsync(email))
            {
                var match = LoginToken().Match(await _inbox.PlainTextAsync(mail.Id));
                if (match.Success)
                {
                    return match.Groups[1].Value;
                }
            }

            return null;
        }, TimeSpan.FromSeconds(30), $"a login link in a mail to {email}");
        var session = await Http.ExpectAsync(HttpStatusCode.OK, await exchangeVia.PostAsJsonAsync("/api/auth/sessions", new { token }));
        return session.GetProperty("accessToken").GetString()!;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient gateway, string token, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await gateway.SendAsync(request);
    }

    private async Task<Guid> VolunteerIdAsync(string email) =>
        Assert.Single(await QueryAsync("volunteers", "SELECT id FROM volunteers WHERE lower(email) = lower(@p)", email, r => r.GetGuid(0)));

    private async Task<List<T>> QueryAsync<T>(string database, string sql, object parameter, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(_databases[database]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Polls a count until it reaches the number (replicas follow through RabbitMQ); fails with the last count after 30 s.</summary>
    private async Task CountReachesAsync(string database, string sql, object parameter, long expected, bool exactly = false)
    {
        long count = 0;
        // The assertion runs inside the probe, so a timeout reports the last count.
        await Eventually.Async(async () =>
        {
            count = (await QueryAsync(database, sql, parameter, r => r.GetInt64(0))).Single();
            Assert.True(exactly ? count == expected : count >= expected, $"{database}: '{sql}' stayed at {count}, expected {expected}");
            return true;
        }, TimeSpan.FromSeconds(30), $"{database}: '{sql}' to reach {expected}");

        Assert.Equal(expected, count);
    }

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Dispose();
        }

        if (_recorderBus is not null)
        {
            await _recorderBus.StopAsync();
        }

        _inbox?.Dispose();
        _tokens.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                // A host whose start hung may not stop either; the rest is still cleaned up.
                await _owned[i].DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                output.WriteLine($"{_owned[i].GetType().Name} did not stop within 90 s");
            }
        }
    }

    [GeneratedRegex(@"/login\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex LoginToken();
}
