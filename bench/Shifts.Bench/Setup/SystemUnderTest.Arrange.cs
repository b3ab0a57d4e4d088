using System.Net;
using System.Text.RegularExpressions;
using MassTransit;
using Shifts.Contracts;

namespace Shifts.Bench.Setup;

/// <summary>What a benchmark sets up before it measures: the admin's token, members, shifts and helpers, through the same API people use.</summary>
public sealed partial class SystemUnderTest
{
    /// <summary>The platform admin logs in like a person: a login link by mail, read from the SMTP sink.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var email = Settings.AdminEmail;
        Mail.KeepContentFor(email);
        await ExpectAsync(HttpStatusCode.Accepted, Gateway, HttpMethod.Post, "/api/auth/login-links", null, new { email });
        var mail = await Mail.WaitForAsync(m => m.Content is not null && m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase), TimeSpan.FromSeconds(60));
        if (mail is not null)
        {
            using var stream = new MemoryStream(mail.Content!);
            var text = (await MimeKit.MimeMessage.LoadAsync(stream)).TextBody ?? "";
            if (LoginToken().Match(text) is { Success: true } match)
            {
                var session = await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, "/api/auth/sessions", null, new { token = match.Groups[1].Value });
                return session.GetProperty("accessToken").GetString()!;
            }
        }

        throw new InvalidOperationException($"No login link reached {email} within 60 s.");
    }

    /// <summary>
    /// Adds a member as a coordinator or admin does (an invitation, 202) and confirms it with the
    /// link from the mail, as the person would; returns their volunteer id.
    /// </summary>
    public async Task<Guid> AddMemberAsync(string token, string org, string email, object member)
    {
        Mail.KeepContentFor(email);
        await ExpectAsync(HttpStatusCode.Accepted, Gateway, HttpMethod.Post, $"/api/orgs/{org}/members", token, member);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var mail = await Mail.WaitForAsync(m => m.Content is not null && m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase), deadline - DateTime.UtcNow);
            if (mail is null)
            {
                break;
            }

            using var stream = new MemoryStream(mail.Content!);
            var text = (await MimeKit.MimeMessage.LoadAsync(stream)).TextBody ?? "";
            if (ConfirmationToken().Match(text) is { Success: true } match)
            {
                var confirmed = await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, "/api/memberships/confirm", null, new { token = match.Groups[1].Value });
                return confirmed.GetProperty("volunteerId").GetGuid();
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"No confirmation link reached {email} within 60 s.");
    }

    /// <summary>Creates <paramref name="count"/> published shifts of one organisation, 50 per event (the API's limit per event), all in one time slot.</summary>
    public async Task<List<Guid>> CreateShiftsAsync(string coordinatorToken, string org, DateTimeOffset startsAt, int count, int capacity, string title)
    {
        var ids = new List<Guid>();
        var events = (count + 49) / 50;
        var batches = Enumerable.Range(0, events).Select(e => Math.Min(50, count - (e * 50))).ToList();
        using var gate = new SemaphoreSlim(8);
        var created = await Task.WhenAll(batches.Select(async (size, e) =>
        {
            await gate.WaitAsync();
            try
            {
                var body = new
                {
                    title = $"{title} {e + 1}",
                    kind = "festival",
                    location = new { name = "Festwiese" },
                    startsAt,
                    endsAt = startsAt.AddHours(4),
                    shifts = Enumerable.Range(0, size).Select(s => new { title = $"Schicht {s + 1}", startsAt = startsAt.AddHours(1), endsAt = startsAt.AddHours(3), capacity }).ToArray(),
                };
                // The events service learns of a new organisation and its coordinator over the bus: retry until it knows them.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (true)
                {
                    var (status, code, json) = await SendAsync(Gateway, HttpMethod.Post, $"/api/orgs/{org}/events", coordinatorToken, body);
                    if (status == 201)
                    {
                        var eventId = json!.Value.GetProperty("id").GetGuid();
                        await ExpectAsync(HttpStatusCode.OK, Gateway, HttpMethod.Post, $"/api/events/{eventId}/publish", coordinatorToken);
                        return json.Value.GetProperty("shifts").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
                    }

                    // 404: the organisation has not reached the events service yet; 403: the
                    // coordinator's membership has not (it authorises from its replica).
                    if (status is not (404 or 403) || DateTime.UtcNow > deadline)
                    {
                        throw new InvalidOperationException($"creating an event answered {status} {code}: {json}");
                    }

                    await Task.Delay(200);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var batch in created)
        {
            ids.AddRange(batch);
        }

        return ids;
    }

    /// <summary>
    /// Makes thousands of helpers known to the events and notifications services the way the
    /// volunteers service does: by publishing VolunteerRegistered on the bus (the integration
    /// event a sign-up publishes), and waits until both replicas hold them. The services authorise
    /// a claim from their replica of memberships, not from the token, so the memberships are then
    /// written into both replicas directly: published as MembershipChanged, each first membership
    /// would mail a welcome (and ask the events service for newcomer shifts), thousands of mails
    /// the mail scenarios do not expect.
    /// </summary>
    public async Task<List<Helper>> RegisterHelpersAsync(TokenMint mint, int count, IReadOnlyList<(string Org, string Role)> memberships)
    {
        var helpers = Enumerable.Range(0, count).Select(i =>
        {
            var id = Guid.NewGuid();
            var name = $"Helfer {i + 1}";
            return new Helper(id, name, $"helper-{i + 1}-{id.ToString("N")[..8]}@bench.example.org", mint.Mint(id, name, memberships));
        }).ToList();

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(Settings.RabbitMq));
        await bus.StartAsync();
        try
        {
            foreach (var chunk in helpers.Chunk(500))
            {
                await Task.WhenAll(chunk.Select(h => bus.Publish(new VolunteerRegistered(h.Id, h.Name, h.Email, "de"))));
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        var ids = helpers.Select(h => h.Id).ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            var inEvents = await ScalarAsync<long>("events", "SELECT count(*) FROM volunteers WHERE id = ANY(@ids)", ("ids", ids));
            var inNotifications = await ScalarAsync<long>("notifications", "SELECT count(*) FROM recipients WHERE id = ANY(@ids)", ("ids", ids));
            if (inEvents == count && inNotifications == count)
            {
                foreach (var (org, role) in memberships)
                {
                    const string grant = """
                        INSERT INTO memberships (volunteer_id, org, role) SELECT unnest(@ids), @org, @role
                        ON CONFLICT (volunteer_id, org) DO UPDATE SET role = excluded.role
                        """;
                    await ExecuteAsync("events", grant, ("ids", ids), ("org", org), ("role", role));
                    await ExecuteAsync("notifications", grant, ("ids", ids), ("org", org), ("role", role));
                }

                return helpers;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"after 180 s the events service knows {inEvents} and the notifications service {inNotifications} of {count} helpers");
            }

            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"/login\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex LoginToken();

    [GeneratedRegex(@"/join/confirm\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmationToken();
}
