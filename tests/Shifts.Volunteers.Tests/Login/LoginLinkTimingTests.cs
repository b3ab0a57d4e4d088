using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Shifts.Contracts;
using Xunit.Abstractions;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>
/// The answer to a login-link request must not tell whether the address is known, not even by its
/// timing: it is given before the address is looked up, for every address alike.
/// </summary>
[Collection(nameof(VolunteersCollection))]
public sealed class LoginLinkTimingTests(VolunteersFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_answer_comes_before_any_lookup_of_the_address_known_or_not_and_the_link_after()
    {
        // The bootstrapped admin: a known address with no mail still on its way (unlike a new member's invitation).
        var known = fixture.AdminEmail;
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        var before = fixture.Received<LoginLinkRequested>(m => m.Email == known).Count;
        using var client = fixture.Client();
        client.Timeout = TimeSpan.FromSeconds(20);

        // Nobody can read the volunteers table while this transaction holds it: a request that looked
        // the address up before answering would hang here.
        HttpStatusCode knownStatus, unknownStatus;
        await using (var connection = await fixture.Db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE volunteers IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            using var knownAnswer = await client.PostAsJsonAsync("/api/auth/login-links", new { email = known });
            using var notKnown = await client.PostAsJsonAsync("/api/auth/login-links", new { email = unknown });
            knownStatus = knownAnswer.StatusCode;
            unknownStatus = notKnown.StatusCode;
            Assert.Equal(before, fixture.Received<LoginLinkRequested>(m => m.Email == known).Count); // the link waits for the lookup
            await transaction.RollbackAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, knownStatus);
        Assert.Equal(HttpStatusCode.Accepted, unknownStatus);
        var links = await fixture.ReceivedAsync<LoginLinkRequested>(m => m.Email == known, before + 1);
        Assert.Equal(before + 1, links.Count);
        Assert.Empty(fixture.Received<LoginLinkRequested>(m => m.Email == unknown));
    }

    /// <summary>
    /// Not a performance assertion: it measures and reports (run with a detailed console logger to
    /// see the medians), and asserts only what every request must get and what must follow.
    /// </summary>
    [Fact]
    public async Task Known_and_unknown_addresses_are_answered_alike_medians_reported()
    {
        var known = fixture.AdminEmail;
        using var client = fixture.Client();
        var before = fixture.Received<LoginLinkRequested>(m => m.Email == known).Count;
        const int Rounds = 150;
        // One unknown address throughout, as the known one: their rate-limit rows are equally hot.
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            (await client.PostAsJsonAsync("/api/auth/login-links", new { email = $"warm-{Guid.NewGuid():N}@example.org" })).Dispose();
        }

        for (var i = 0; i < Rounds; i++)
        {
            // Interleaved and in alternating order, so drifting load on the machine falls on both
            // alike; with a pause after each, so a request is not timed against the link its
            // predecessor is still issuing (that work comes after an answer, by design).
            foreach (var isKnown in i % 2 == 0 ? [true, false] : new[] { false, true })
            {
                (isKnown ? knownTimes : unknownTimes).Add(await TimeAsync(client, isKnown ? known : unknown));
                await Task.Delay(25);
            }
        }

        output.WriteLine($"login-link answer, median of {Rounds}: known {Median(knownTimes):F2} ms, unknown {Median(unknownTimes):F2} ms");
        Assert.Equal(before + Rounds, (await fixture.ReceivedAsync<LoginLinkRequested>(m => m.Email == known, before + Rounds)).Count);
    }

    private static async Task<double> TimeAsync(HttpClient client, string email)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync("/api/auth/login-links", new { email });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
