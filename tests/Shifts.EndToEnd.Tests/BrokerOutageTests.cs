using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The fastest of the ./shifts chaos scenarios, in the test suite: while RabbitMQ is unreachable,
/// helpers' claims keep committing (the outbox holds their events); once it is back, every
/// ShiftClaimed is relayed and every confirmation reaches the SMTP server exactly once. The
/// broker is cut away through a proxy, so the shared test broker keeps serving the other test
/// projects that run in parallel.
/// </summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private const int Helpers = 3;

    private readonly ShiftsSystem _system = new(brokerThroughProxy: true);

    public Task InitializeAsync() => _system.InitializeAsync();

    public Task DisposeAsync() => _system.DisposeAsync();

    [Fact]
    public async Task Claims_commit_while_the_broker_is_down_and_every_confirmation_is_mailed_once_it_is_back()
    {
        // An organisation, its coordinator and helpers, made through the API while the broker is up.
        var org = $"bo-{Guid.NewGuid():N}"[..20];
        using var admin = await _system.LogInAsync(_system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "Broker Outage e.V.", timeZone = "Europe/Berlin" }));
        var carla = $"carla-{Guid.NewGuid():N}@example.org";
        var coordinatorId = await _system.AddMemberAsync(admin, org, new { name = "Carla", email = carla, role = "coordinator" }, carla);
        using var coordinator = Client(_system.Tokens.Mint(coordinatorId, "Carla", [(org, "coordinator")]));
        var helpers = new List<(string Email, HttpClient Client)>();
        for (var i = 0; i < Helpers; i++)
        {
            var email = $"helper-{i}-{Guid.NewGuid():N}@example.org";
            var id = await _system.AddMemberAsync(coordinator, org, new { name = $"Helper {i}", email, role = "helper", locale = "en" }, email);
            helpers.Add((email, Client(_system.Tokens.Mint(id, $"Helper {i}", [(org, "helper")]))));
            // The events service authorises claims from its replica: the membership is there before the broker goes.
            await _system.WaitForMembershipAsync(id, org, "helper");
        }

        var shifts = await PublishedShiftsAsync(coordinator, org, Helpers);
        // The invitations reached everyone (and were confirmed): the notifications service knows the helpers' addresses.
        foreach (var (email, _) in helpers)
        {
            Assert.NotEmpty(await _system.Inbox.WaitForMailsToAsync(email));
        }

        _system.BrokerProxy!.Cut();
        for (var i = 0; i < Helpers; i++)
        {
            await Http.ExpectAsync(HttpStatusCode.Created, await helpers[i].Client.PostAsync($"/api/shifts/{shifts[i].Id}/claims", null));
        }

        // Their ShiftClaimed waits in the outbox while the broker is away.
        Assert.True(await UnsentShiftClaimedAsync() > 0, "the claims' events wait in the outbox");
        _system.BrokerProxy.Restore();

        for (var i = 0; i < Helpers; i++)
        {
            var subject = $"Confirmed: {shifts[i].Title} ";
            var email = helpers[i].Email;
            await Eventually.Async(
                async () => (await _system.Inbox.MailsToAsync(email)).Any(m => m.Subject.StartsWith(subject, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(120),
                $"the confirmation '{subject}…' to {email}");
        }

        // Everything relayed: no late duplicate can still be on its way.
        await Http.EventuallyAsync(async () => new HttpResponseMessage(await UnsentShiftClaimedAsync() == 0 ? HttpStatusCode.OK : HttpStatusCode.Accepted), HttpStatusCode.OK);
        Assert.Equal(0, await UnsentShiftClaimedAsync());
        for (var i = 0; i < Helpers; i++)
        {
            var subject = $"Confirmed: {shifts[i].Title} ";
            Assert.Single(await _system.Inbox.MailsToAsync(helpers[i].Email), m => m.Subject.StartsWith(subject, StringComparison.Ordinal));
            helpers[i].Client.Dispose();
        }
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = _system.Gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<long> UnsentShiftClaimedAsync()
    {
        await using var connection = new NpgsqlConnection(_system.Databases[1]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND message_type LIKE '%ShiftClaimed%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A published event four weeks ahead with one-place shifts that do not overlap.</summary>
    private static async Task<List<(Guid Id, string Title)>> PublishedShiftsAsync(HttpClient coordinator, string org, int count)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(28).AddHours(8);
        static string Local(DateTime local) => BerlinTime.Iso(local);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = $"Outage festival {tag}",
            kind = "festival",
            location = new { name = "Marktplatz" },
            startsAt = Local(day),
            endsAt = Local(day.AddHours(count + 1)),
            shifts = Enumerable.Range(0, count).Select(i => new { title = $"Shift {tag}-{i}", startsAt = Local(day.AddHours(i)), endsAt = Local(day.AddHours(i + 1)), capacity = 1, minimum = 0 }).ToArray(),
        }), HttpStatusCode.Created);
        var eventId = (await Http.ExpectAsync(HttpStatusCode.Created, created)).GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{eventId}/publish", null));
        var view = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/events/{eventId}"));
        return view.GetProperty("shifts").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetGuid(), s.GetProperty("title").GetString()!))
            .OrderBy(s => s.Item2, StringComparer.Ordinal)
            .ToList();
    }
}
