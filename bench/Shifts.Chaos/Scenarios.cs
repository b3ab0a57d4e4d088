using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Chaos;

/// <summary>
/// The fault scenarios. Each one: a fresh published event pair (its own shifts), claim load
/// through the gateway, the fault while the load runs, load after the repair, then the system
/// must settle (every message consumed, every mail sent) and the invariants must hold.
/// </summary>
public sealed class Scenarios(ChaosSystem system, Invariants invariants)
{
    private const int Workers = 4;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);
    private int _day;
    private readonly List<string> _notes = [];

    public static readonly string[] All = ["rabbitmq", "kill-events", "kill-notifications", "postgres", "poison"];

    public Task<ScenarioResult> RunAsync(string name) => name switch
    {
        "rabbitmq" => RunAsync(name, "RabbitMQ stopped for 30 s (rabbitmqctl stop_app), then started", async window =>
        {
            await system.ControlAsync("rabbitmq-stop");
            window.Start = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(30));
            await system.ControlAsync("rabbitmq-start");
            window.End = DateTime.UtcNow;
        }, FaultRules.RabbitMqRules),
        "kill-events" => RunAsync(name, "kill -9 of the events service while claims commit, then restarted", async window =>
        {
            await system.ControlAsync("kill", "events");
            window.Start = DateTime.UtcNow;
            await system.ControlAsync("start", "events");
            window.End = DateTime.UtcNow;
        }, FaultRules.NoInternalErrors),
        "kill-notifications" => RunAsync(name, "kill -9 of the notifications service while it mails, then restarted", KillNotificationsWhileMailingAsync, FaultRules.NoInternalErrors,
            settle: TimeSpan.FromMinutes(4)),
        "postgres" => RunAsync(name, "PostgreSQL stopped (pg_ctl stop -m fast) for 15 s under load, then started; services not restarted", async window =>
        {
            await system.ControlAsync("postgres-stop");
            window.Start = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(15));
            await system.ControlAsync("postgres-start");
            window.End = DateTime.UtcNow;
        }, FaultRules.PostgresRules),
        "poison" => RunPoisonAsync(),
        _ => throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", All)}"),
    };

    private async Task<ScenarioResult> RunAsync(
        string name,
        string fault,
        Func<FaultWindow, Task> inject,
        Func<IReadOnlyList<Answer>, FaultWindow, IEnumerable<Check>> rules,
        TimeSpan? settle = null,
        Func<Task<(IReadOnlySet<Guid> Parked, IReadOnlyDictionary<string, int> Errors, List<Check> Checks)>>? after = null)
    {
        Log.Line($"scenario {name}: {fault}");
        var window = new FaultWindow();
        IReadOnlyList<Answer> answers = [];
        try
        {
            var shifts = new List<Guid>();
            foreach (var part in new[] { "a", "b" })
            {
                shifts.AddRange((await system.CreateEventAsync($"{name}-{part}", _day++, shifts: 50, capacity: 4)).Select(s => s.Id));
            }

            var load = new ClaimLoad(shifts, system.Helpers, Workers, Pause);
            load.Start();
            await Task.Delay(TimeSpan.FromSeconds(8));
            Exception? faultError = null;
            try
            {
                await inject(window);
            }
            catch (Exception ex)
            {
                faultError = ex;
            }

            await Task.Delay(TimeSpan.FromSeconds(12));
            await load.StopAsync();
            answers = load.Answers;
            if (faultError is not null)
            {
                throw new InvalidOperationException("injecting the fault failed: " + faultError.Message, faultError);
            }

            var extra = after is null
                ? (Parked: (IReadOnlySet<Guid>)new HashSet<Guid>(), Errors: (IReadOnlyDictionary<string, int>)new Dictionary<string, int>(), Checks: new List<Check>())
                : await after();
            Log.Line($"  load stopped ({answers.Count} answers); waiting for the system to settle");
            var settled = await invariants.SettleAsync(name, settle ?? TimeSpan.FromMinutes(2), extra.Parked);
            var checks = new List<Check>(rules(answers, window));
            checks.AddRange(extra.Checks);
            checks.AddRange(await invariants.CheckAsync(name, answers, extra.Parked, extra.Errors));
            if (settled is null)
            {
                checks.Add(new("the system settled (all sent, consumed and mailed)", false, $"not within {(settle ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s"));
            }

            var result = new ScenarioResult(name, fault, checks.All(c => c.Passed), FaultRules.FiguresOf(answers, window, settled), checks, Notes(), null);
            Print(result);
            return result;
        }
        catch (Exception ex)
        {
            var result = new ScenarioResult(name, fault, false, FaultRules.FiguresOf(answers, window, null), [], Notes(), ex.Message);
            Print(result);
            return result;
        }
    }

    /// <summary>
    /// Kills the service with SIGKILL (from here: no script start-up delay) while it works through a
    /// backlog of mails: the process is frozen (SIGSTOP) while a burst of claims queues up their
    /// ShiftClaimed, thawed (SIGCONT), and killed as soon as a delivery carries the end-of-data mark
    /// (its whole body is at the SMTP server and its final "." about to go or gone): the one moment
    /// in which a mail's fate is unknown to the dispatcher.
    /// </summary>
    private async Task KillNotificationsWhileMailingAsync(FaultWindow window)
    {
        var pid = int.Parse(await system.ControlAsync("pid", "notifications"), System.Globalization.CultureInfo.InvariantCulture);
        var burst = system.Helpers.Take(10).ToList();
        var shiftsOfBurst = await system.CreateEventAsync("kill-notifications-c", _day++, shifts: 20, capacity: burst.Count);
        Signal(pid, "STOP");
        var claims = burst.SelectMany(h => shiftsOfBurst.Where((_, i) => i % 2 == 0).Select(s => h.Client.PostAsync($"/api/shifts/{s.Id}/claims", null))).ToList();
        foreach (var claim in claims)
        {
            (await claim).Dispose();
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // the outbox relay publishes them meanwhile
        Signal(pid, "CONT");
        var clock = Stopwatch.StartNew();
        var handingOver = 0L;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && handingOver == 0)
        {
            handingOver = await invariants.ScalarAsync("notifications", "SELECT count(*) FROM deliveries WHERE status = 'sending' AND send_started_at IS NOT NULL");
        }

        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true); // SIGKILL
            await process.WaitForExitAsync();
        }

        window.Start = DateTime.UtcNow;
        var left = await invariants.ScalarAsync("notifications", "SELECT count(*) FROM deliveries WHERE status = 'sending'");
        var started = await invariants.ScalarAsync("notifications", "SELECT count(*) FROM deliveries WHERE status = 'sending' AND send_started_at IS NOT NULL");
        var pending = await invariants.ScalarAsync("notifications", "SELECT count(*) FROM deliveries WHERE status = 'pending'");
        var note = $"SIGKILL sent {(handingOver > 0 ? "the moment a delivery's end-of-data mark was seen" : "without seeing an end-of-data mark within 60 s")}; "
            + $"after the kill: {left} deliveries in 'sending' ({started} of them past the end-of-data mark), {pending} pending";
        _notes.Add(note);
        Log.Line("  " + note);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await system.ControlAsync("start", "notifications");
        window.End = DateTime.UtcNow;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed");
        }
    }

    /// <summary>
    /// A consumer that always throws: the notifications database refuses the confirmation of one
    /// helper (a trigger, installed from outside, raises on that delivery), so the claim consumer
    /// fails on every attempt. Its message must end in the _error queue, with nothing half done;
    /// once the fault is removed and the message is moved back, it is mailed exactly once.
    /// </summary>
    private async Task<ScenarioResult> RunPoisonAsync()
    {
        // Not one of the load's helpers: exactly one message must fail.
        var victim = await system.AddHelperAsync("Poison Pill", "poison-pill@chaos.example.org", forLoad: false);
        await invariants.ExecuteAsync("notifications", """
            CREATE OR REPLACE FUNCTION chaos_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.recipient_email LIKE 'poison%' AND NEW.kind = 'claim-confirmed' THEN
                    RAISE EXCEPTION 'chaos: this consumer always fails for %', NEW.recipient_email;
                END IF;
                RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS chaos_refuse_poison ON deliveries;
            CREATE TRIGGER chaos_refuse_poison BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION chaos_refuse_poison();
            """);
        Guid poisonClaim = Guid.Empty;
        return await RunAsync("poison", "a consumer that always throws (a trigger in the notifications database refuses one helper's confirmation)", async window =>
        {
            window.Start = DateTime.UtcNow;
            var shift = (await system.CreateEventAsync("poison-c", _day++, shifts: 1, capacity: 1))[0];
            var claim = await ChaosSystem.ExpectAsync(System.Net.HttpStatusCode.Created, () => victim.Client.PostAsync($"/api/shifts/{shift.Id}/claims", null));
            poisonClaim = claim.GetProperty("id").GetGuid();
            window.End = DateTime.UtcNow;
        }, FaultRules.NoInternalErrors, after: async () =>
        {
            var checks = new List<Check>();
            var messageId = (await invariants.ConfirmedClaimsAsync("poison")).Single(c => c.ClaimId == poisonClaim).MessageId;
            // MassTransit retries 5 times over about 20 s, then moves the message.
            var clock = Stopwatch.StartNew();
            Dictionary<string, int> errors = [];
            while (clock.Elapsed < TimeSpan.FromSeconds(90) && errors.Values.Sum() == 0)
            {
                await Task.Delay(2000);
                errors = await invariants.ErrorQueuesAsync();
            }

            var queue = errors.FirstOrDefault(kv => kv.Value > 0).Key;
            checks.Add(new("the failing message reached an _error queue", queue is not null, queue is null ? "no _error queue has a message after 90 s" : $"{queue} after {clock.Elapsed.TotalSeconds:0} s"));
            if (queue is null)
            {
                return (new HashSet<Guid> { poisonClaim }, new Dictionary<string, int>(), checks);
            }

            var consumedWhileParked = (await invariants.ConsumedByNotificationsAsync()).Contains(messageId ?? Guid.Empty);
            checks.Add(new("nothing of the failing message was committed (no inbox row)", !consumedWhileParked, consumedWhileParked ? "inbox row found" : "no inbox row"));

            // Repair, then move the parked messages back to their queue, as an operator would.
            await invariants.ExecuteAsync("notifications", "DROP TRIGGER chaos_refuse_poison ON deliveries; DROP FUNCTION chaos_refuse_poison();");
            var moved = await MoveBackAsync(queue);
            checks.Add(new("the parked message is the claim's ShiftClaimed (MessageId = outbox id)", moved.Contains(messageId?.ToString() ?? "-"),
                $"parked {string.Join(", ", moved)}; outbox id {messageId}"));
            return (new HashSet<Guid>(), new Dictionary<string, int>(), checks);
        });
    }

    /// <summary>Takes every message off the _error queue and publishes each, unchanged, to the queue it came from; returns their MessageIds.</summary>
    private async Task<List<string>> MoveBackAsync(string errorQueue)
    {
        var moved = new List<string>();
        while (true)
        {
            using var got = await system.Management.PostAsJsonAsync($"api/queues/%2F/{errorQueue}/get", new { count = 1, ackmode = "ack_requeue_false", encoding = "auto" });
            got.EnsureSuccessStatusCode();
            var messages = await got.Content.ReadFromJsonAsync<JsonElement>();
            if (messages.GetArrayLength() == 0)
            {
                return moved;
            }

            var message = messages[0];
            var properties = message.GetProperty("properties");
            using var published = await system.Management.PostAsJsonAsync("api/exchanges/%2F/amq.default/publish", new
            {
                properties,
                routing_key = errorQueue[..^"_error".Length],
                payload = message.GetProperty("payload").GetString(),
                payload_encoding = message.GetProperty("payload_encoding").GetString(),
            });
            published.EnsureSuccessStatusCode();
            moved.Add(properties.TryGetProperty("message_id", out var id) ? id.GetString() ?? "?" : "?");
        }
    }

    private List<string> Notes()
    {
        var notes = _notes.ToList();
        _notes.Clear();
        return notes;
    }

    private static void Print(ScenarioResult result)
    {
        Log.Line($"  {(result.Passed ? "PASS" : "FAIL")} {result.Name}: {JsonSerializer.Serialize(result.Figures)}");
        foreach (var check in result.Checks)
        {
            Log.Line($"    [{(check.Passed ? "ok" : "FAILED")}] {check.Name}: {check.Detail}");
        }

        if (result.Error is not null)
        {
            Log.Line($"    error: {result.Error}");
        }
    }
}
