using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>GDPR through the gateway: a person exports everything every service holds about them, then is erased from all of them.</summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class PrivacyTests(ShiftsSystem system)
{
    [Fact]
    public async Task A_helper_exports_their_claims_and_deliveries_and_after_erasure_no_table_anywhere_holds_their_name_or_address()
    {
        var org = $"kv-{Guid.NewGuid():N}"[..20];
        using var admin = await system.LogInAsync(system.AdminEmail);
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug = org, name = "KV Datenschutz", timeZone = "Europe/Berlin" }));
        var coordinatorEmail = $"coord-{Guid.NewGuid():N}@example.org";
        await system.AddMemberAsync(admin, org, new { name = "Coordinator", email = coordinatorEmail, role = "coordinator" }, coordinatorEmail);
        using var coordinator = await system.LogInAsync(coordinatorEmail);

        var start = DateTimeOffset.UtcNow.AddDays(10);
        string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var created = await Http.EventuallyAsync(() => coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", new
        {
            title = "Neumitgliedertreffen",
            kind = "meeting",
            location = new { name = "Bürgerhaus" },
            startsAt = Iso(start),
            endsAt = Iso(start.AddHours(3)),
            shifts = new[] { new { title = "Empfang", startsAt = Iso(start), endsAt = Iso(start.AddHours(1)), capacity = 3, newcomerFriendly = true } },
        }), HttpStatusCode.Created);
        var eventId = (await Http.ExpectAsync(HttpStatusCode.Created, created)).GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.PostAsync($"/api/events/{eventId}/publish", null));

        var name = $"Zoë Erasmus {Guid.NewGuid().ToString()[..8]}";
        var email = $"zoe-{Guid.NewGuid():N}@example.org";
        using var zoe = await system.SignUpAsync(org, name, email);
        var shifts = await Http.ExpectAsync(HttpStatusCode.OK, await Http.EventuallyAsync(() => zoe.GetAsync($"/api/orgs/{org}/shifts"), HttpStatusCode.OK));
        var shiftId = shifts.GetProperty("items")[0].GetProperty("id").GetGuid();
        await Http.ExpectAsync(HttpStatusCode.Created, await zoe.PostAsync($"/api/shifts/{shiftId}/claims", null));
        await system.Inbox.WaitForMailsToAsync(email, 2); // the link to confirm the membership, the welcome and the claim's confirmation

        var export = await Http.ExpectAsync(HttpStatusCode.OK, await zoe.GetAsync("/api/me/export"));
        Assert.Equal(email, export.GetProperty("volunteers").GetProperty("email").GetString());
        Assert.Equal(shiftId, export.GetProperty("events").GetProperty("claims")[0].GetProperty("shiftId").GetGuid());
        Assert.True(export.GetProperty("notifications").ToString().Contains("deliver", StringComparison.OrdinalIgnoreCase)
            && export.GetProperty("notifications").ToString().Length > 50, $"the export lists deliveries: {export.GetProperty("notifications")}");
        Assert.Contains(await FindAsync(email), t => t.StartsWith("notifications:", StringComparison.Ordinal) || t.StartsWith("volunteers:", StringComparison.Ordinal));

        await Http.ExpectAsync(HttpStatusCode.Accepted, await zoe.DeleteAsync("/api/me"));

        // Within a minute no table of any service mentions the address or the name.
        // The assertion runs inside the probe, so a timeout reports where the person was last found.
        await Eventually.Async(async () =>
        {
            List<string> left = [.. await FindAsync(email), .. await FindAsync(name)];
            Assert.True(left.Count == 0, "still found in: " + string.Join(", ", left));
            return true;
        }, TimeSpan.FromSeconds(60), $"no table to mention {email} or {name}");

        // The shift's place is free again, and the coordinator is told (once) that it was freed.
        var shift = await Http.ExpectAsync(HttpStatusCode.OK, await coordinator.GetAsync($"/api/shifts/{shiftId}"));
        Assert.Equal(0, shift.GetProperty("confirmed").GetInt32());
        var freed = (await system.Inbox.WaitForMailsToAsync(coordinatorEmail, 2))
            .Where(m => m.Subject.StartsWith("Platz frei geworden", StringComparison.Ordinal) || m.Subject.StartsWith("A place became free", StringComparison.Ordinal))
            .ToList();
        Assert.Single(freed);
        Assert.Contains("Empfang", freed[0].Subject, StringComparison.Ordinal);
    }

    /// <summary>Every table of every service's database whose rows, as text, contain <paramref name="needle"/>.</summary>
    private async Task<List<string>> FindAsync(string needle)
    {
        var found = new List<string>();
        foreach (var connectionString in system.Databases)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var scan = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" t WHERE strpos(lower(t::text), lower(@needle)) > 0", connection);
                scan.Parameters.AddWithValue("needle", needle);
                if ((long)(await scan.ExecuteScalarAsync())! > 0)
                {
                    found.Add($"{new NpgsqlConnectionStringBuilder(connectionString).Database![2..5] switch { "vol" => "volunteers", "evt" => "events", _ => "notifications" }}:{table}");
                }
            }
        }

        return found;
    }
}
