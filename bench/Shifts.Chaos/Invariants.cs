using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Shifts.Chaos;

public sealed record Check(string Name, bool Passed, string Detail);

/// <summary>A confirmed claim of the scenario, with what its confirmation mail must look like.</summary>
public sealed record ConfirmedClaim(Guid ClaimId, Guid VolunteerId, string ShiftTitle, Guid? MessageId);

/// <summary>
/// What must hold after every scenario, checked where it is kept: the events database (capacity,
/// counts, overlaps), every outbox and the notifications inbox, RabbitMQ's _error queues, and
/// the SMTP sink (each confirmation exactly once).
/// </summary>
public sealed class Invariants(ChaosSystem system)
{
    private static readonly string[] Databases = ["volunteers", "events", "notifications"];

    /// <summary>The scenario's confirmed claims and the ShiftClaimed each published (outbox id).</summary>
    public async Task<IReadOnlyList<ConfirmedClaim>> ConfirmedClaimsAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(system.Database("events"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.id, c.volunteer_id, s.title, o.id
            FROM claims c
            JOIN shifts s ON s.id = c.shift_id
            LEFT JOIN outbox_messages o ON o.message_type LIKE '%ShiftClaimed%' AND (o.body ->> 'claimId')::uuid = c.id
            WHERE c.status = 'confirmed' AND s.title LIKE @prefix
            """, connection);
        command.Parameters.AddWithValue("prefix", prefix + "-%");
        var claims = new List<ConfirmedClaim>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claims.Add(new ConfirmedClaim(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3)));
        }

        return claims;
    }

    /// <summary>Unsent outbox rows per service database.</summary>
    public async Task<Dictionary<string, long>> UnsentAsync()
    {
        var unsent = new Dictionary<string, long>();
        foreach (var db in Databases)
        {
            unsent[db] = await ScalarAsync(db, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
        }

        return unsent;
    }

    public async Task<HashSet<Guid>> ConsumedByNotificationsAsync()
    {
        await using var connection = new NpgsqlConnection(system.Database("notifications"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT message_id FROM inbox_messages WHERE consumer = 'ClaimConsumers'", connection);
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Confirmation mails per claim of the scenario (0, 1, or a duplicate).</summary>
    public async Task<Dictionary<Guid, int>> ConfirmationMailsAsync(IReadOnlyList<ConfirmedClaim> claims)
    {
        var emails = system.Emails;
        var mails = await SmtpSink.ReadAsync(system.Smtp);
        var byRecipientAndSubject = mails
            .SelectMany(m => m.To.Select(to => (To: to.ToLowerInvariant(), m.Subject)))
            .GroupBy(x => x)
            .ToDictionary(g => g.Key, g => g.Count());
        // "Confirmed: {shift} – {event}" (templates/en/claim-confirmed.txt); the shift title is unique.
        return claims.ToDictionary(c => c.ClaimId, c =>
        {
            var email = emails.GetValueOrDefault(c.VolunteerId, "?").ToLowerInvariant();
            return byRecipientAndSubject.Where(kv => kv.Key.To.Contains(email, StringComparison.Ordinal)
                && kv.Key.Subject.StartsWith($"Confirmed: {c.ShiftTitle} ", StringComparison.Ordinal)).Sum(kv => kv.Value);
        });
    }

    /// <summary>
    /// Messages waiting in _error queues, by queue. Counted by looking at them (get with requeue):
    /// the management API's queue statistics lag by several seconds.
    /// </summary>
    public async Task<Dictionary<string, int>> ErrorQueuesAsync()
    {
        var queues = await system.Management.GetFromJsonAsync<JsonElement>("api/queues/%2F?columns=name");
        var counts = new Dictionary<string, int>();
        foreach (var name in queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).Where(n => n.EndsWith("_error", StringComparison.Ordinal)))
        {
            using var peek = await system.Management.PostAsJsonAsync($"api/queues/%2F/{Uri.EscapeDataString(name)}/get", new { count = 10000, ackmode = "ack_requeue_true", encoding = "auto" });
            peek.EnsureSuccessStatusCode();
            counts[name] = (await peek.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength();
        }

        return counts;
    }

    /// <summary>
    /// Waits until the system has settled: no unsent outbox row, every ShiftClaimed of the scenario
    /// consumed and mailed (except <paramref name="parked"/>). Returns how long that took, or null
    /// when it did not settle within <paramref name="timeout"/> (the checks then say what is missing).
    /// </summary>
    public async Task<TimeSpan?> SettleAsync(string prefix, TimeSpan timeout, IReadOnlySet<Guid> parked)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                var claims = (await ConfirmedClaimsAsync(prefix)).Where(c => !parked.Contains(c.ClaimId)).ToList();
                var unsent = (await UnsentAsync()).Values.Sum();
                var consumed = await ConsumedByNotificationsAsync();
                if (unsent == 0 && claims.All(c => c.MessageId is { } id && consumed.Contains(id)))
                {
                    var mails = await ConfirmationMailsAsync(claims);
                    if (mails.Values.All(n => n >= 1))
                    {
                        return clock.Elapsed;
                    }
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or TimeoutException)
            {
                // A server still coming back: ask again.
            }

            await Task.Delay(1000);
        }

        return null;
    }

    public async Task<List<Check>> CheckAsync(string prefix, IReadOnlyList<Answer> answers, IReadOnlySet<Guid> parked, IReadOnlyDictionary<string, int> expectedErrors)
    {
        var checks = new List<Check>();
        var over = await ScalarAsync("events", "SELECT count(*) FROM shifts WHERE confirmed > capacity");
        checks.Add(new("no shift over capacity", over == 0, $"{over} shifts over capacity"));

        var miscounted = await ScalarAsync("events", """
            SELECT count(*) FROM shifts s
            WHERE s.confirmed <> (SELECT count(*) FROM claims c WHERE c.shift_id = s.id AND c.status = 'confirmed')
            """);
        checks.Add(new("shifts.confirmed equals confirmed claim rows", miscounted == 0, $"{miscounted} shifts whose count differs from their claim rows"));

        var overlapping = await ScalarAsync("events", """
            SELECT count(*) FROM claims a
            JOIN claims b ON a.volunteer_id = b.volunteer_id AND a.id < b.id AND a.during && b.during
            WHERE a.status = 'confirmed' AND b.status = 'confirmed'
            """);
        checks.Add(new("no overlapping claims per volunteer", overlapping == 0, $"{overlapping} overlapping pairs"));

        var claims = await ConfirmedClaimsAsync(prefix);
        var confirmedIds = claims.Select(c => c.ClaimId).ToHashSet();
        var acknowledged = answers.Where(a => a.Kind == "claim" && a.ClaimId is not null).Select(a => a.ClaimId!.Value).ToHashSet();
        var lost = acknowledged.Count(id => !confirmedIds.Contains(id));
        checks.Add(new("every acknowledged claim is confirmed in the database", lost == 0, $"{acknowledged.Count} acknowledged, {lost} missing"));

        var unsent = await UnsentAsync();
        checks.Add(new("every outbox row sent", unsent.Values.Sum() == 0, string.Join(", ", unsent.Select(kv => $"{kv.Key} {kv.Value} unsent"))));

        var consumed = await ConsumedByNotificationsAsync();
        var withoutEvent = claims.Count(c => c.MessageId is null);
        var notConsumed = claims.Count(c => c.MessageId is { } id && !consumed.Contains(id) && !parked.Contains(c.ClaimId));
        checks.Add(new("every ShiftClaimed consumed by notifications (inbox row)", withoutEvent == 0 && notConsumed == 0,
            $"{claims.Count} confirmed claims, {withoutEvent} without a ShiftClaimed in the outbox, {notConsumed} not in the inbox" + (parked.Count > 0 ? $", {parked.Count} parked on purpose" : "")));

        var mails = await ConfirmationMailsAsync(claims.Where(c => !parked.Contains(c.ClaimId)).ToList());
        var missing = mails.Count(kv => kv.Value == 0);
        var duplicated = mails.Count(kv => kv.Value > 1);
        var detail = $"{mails.Count} claims: {mails.Count(kv => kv.Value == 1)} mailed once, {missing} not mailed, {duplicated} mailed more than once";
        if (missing > 0)
        {
            detail += $" ({await InterruptedDeliveriesAsync()} confirmations in the whole run marked failed, e.g. interrupted mid-send)";
        }

        checks.Add(new("every confirmation mail at the SMTP server exactly once", missing == 0 && duplicated == 0, detail));

        var errors = await ErrorQueuesAsync();
        var unexpected = errors.Where(kv => kv.Value != expectedErrors.GetValueOrDefault(kv.Key)).ToList();
        var absent = expectedErrors.Where(kv => errors.GetValueOrDefault(kv.Key) != kv.Value).ToList();
        checks.Add(new(expectedErrors.Count > 0 ? "the failing message is in its _error queue, nothing else is" : "no message in any _error queue",
            unexpected.Count == 0 && absent.Count == 0,
            errors.Count == 0 ? "no _error queue" : string.Join(", ", errors.Select(kv => $"{kv.Key}: {kv.Value}"))));
        return checks;
    }

    private async Task<long> InterruptedDeliveriesAsync() =>
        await ScalarAsync("notifications", "SELECT count(*) FROM deliveries WHERE status = 'failed' AND kind = 'claim-confirmed'");

    public async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(system.Database(db));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(system.Database(db));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
