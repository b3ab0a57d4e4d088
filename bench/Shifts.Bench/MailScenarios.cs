using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;
using NpgsqlTypes;
using Shifts.Bench.Load;
using Shifts.Bench.Smtp;

namespace Shifts.Bench;

public sealed partial class BenchRun
{
    /// <summary>
    /// 4. Claims at a steady rate, half of scenario 1's peak (at most <see cref="Sizes.MailRate"/>,
    /// which the setup made shifts for; the full rate if scenario 1 did not run); for each 201, the time until its confirmation mail reached the
    /// SMTP server (the bench's sink records when its final "." arrived). First every mail the earlier
    /// scenarios caused is let through, so this measures the path, not a backlog.
    /// </summary>
    private async Task ClaimToMailAsync(ScenarioResult result)
    {
        var backlog = await _sut.ScalarAsync<long>("notifications", "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')");
        var drained = await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(settings.Quick ? 180 : 400));
        var confirmations = await _sut.ScalarAsync<long>("notifications", "SELECT count(*) FROM deliveries WHERE kind = 'claim-confirmed' AND status = 'sent'");
        Log($"the earlier claims' confirmations drained {(double.IsNaN(drained) ? "NOT within the time allowed" : $"in {drained:0.0} s")} ({backlog} deliveries were pending; {confirmations} confirmations sent so far)");
        result.Figures["backlogBefore"] = new { pendingDeliveries = backlog, drainSeconds = double.IsNaN(drained) ? (double?)null : Math.Round(drained, 1), confirmationsSent = confirmations };

        var rate = _peakClaimsPerSecond > 0 ? Math.Min(Size.MailRate, Math.Max(1, Math.Round(_peakClaimsPerSecond / 2))) : Size.MailRate;
        var count = (int)(rate * Size.MailSeconds);
        var created = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        var started = DateTimeOffset.UtcNow;
        var (outcomes, seconds) = await LoadRunner.OpenLoopAsync(rate, count,
            Claims(i => (_helpers[i], _mailShifts[i % _mailShifts.Count]), (_, helper, at) => created[helper.Email] = at));
        var load = LoadResult.From("open", 0, rate, outcomes, seconds, o => o.Status == 201);
        Log($"{created.Count} claims at {rate:0}/s (half of scenario 1's peak): {load.Latency.Short}");

        // Each confirmation is matched by its envelope recipient and subject in the sink's records,
        // which hold the time its final "." arrived (same process, same clock as the claims' 201s).
        var received = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        var sizes = new List<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            foreach (var mail in _sut.Mail.Mails(m => m.ArrivedAt >= started && IsConfirmationOfMailShift(m)))
            {
                foreach (var to in mail.Recipients.Where(created.ContainsKey))
                {
                    if (received.TryAdd(to, mail.ArrivedAt))
                    {
                        sizes.Add(mail.Size);
                    }
                }
            }

            if (received.Count >= created.Count || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        var delays = received.Select(r => (r.Value - created[r.Key]).TotalMilliseconds).ToList();
        var stats = LatencyStats.Of(delays);
        Log($"claim → mail: {stats.Short}; {created.Count - received.Count} mails missing after 90 s");
        result.Figures["claims"] = Figures(load);
        result.Figures["claimToMailMs"] = stats;
        result.Figures["split"] = await ClaimToMailSplitAsync(started, created, received);
        result.Figures["mailsMissing"] = created.Count - received.Count;
        result.Figures["mailBytesMedian"] = Median(sizes);
        result.Figures["rate"] = new { claimsPerSecond = rate, peakClaimsPerSecond = _peakClaimsPerSecond };
        result.Figure = $"p50 {Ms(stats.P50)}, p99 {Ms(stats.P99)} (max {Ms(stats.Max)}) at {rate:0} claims/s";
        result.Limit = "–";
        result.Goal = "p99 < 1 s at half the peak claim rate, every mail arrives";
        result.Met = stats.P99 < 1000 && received.Count == created.Count && created.Count == count;
    }

    /// <summary>
    /// 5. Reminders all due at once (bulk-loaded as the notifications service stores them), sent
    /// through the service's scheduler and dispatcher and counted in the sink's records, against the
    /// rate a plain MailKit loop gets from the same sink just before.
    /// </summary>
    private async Task ReminderWaveAsync(ScenarioResult result)
    {
        // The raw rate is only a limit if nothing else sends to the SMTP server meanwhile: scenario 4's
        // confirmations must be through first (in a run on 2 shared cores they may still be queued).
        var backlog = await _sut.ScalarAsync<long>("notifications", "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')");
        var drained = await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(settings.Quick ? 120 : 300));
        result.Figures["backlogBefore"] = new { pendingDeliveries = backlog, drainSeconds = double.IsNaN(drained) ? (double?)null : Math.Round(drained, 1) };
        var raw = await RawSmtpRateAsync(TimeSpan.FromSeconds(Size.RawSmtpSeconds));
        Log($"raw SMTP accept rate (one connection, MailKit loop): {raw.Rate:0} mails/s ({raw.Mails} mails)");

        var now = DateTimeOffset.UtcNow;
        var startsAt = now.AddHours(23); // the 24 h reminder is an hour overdue: due at once
        await using (var connection = new NpgsqlConnection(settings.ConnectionString("notifications")))
        {
            await connection.OpenAsync();
            var claimIds = Enumerable.Range(0, Size.Reminders).Select(_ => Guid.CreateVersion7()).ToArray();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY claims (claim_id, volunteer_id, shift_id, event_id, org, event_title, shift_title, location_name, location_address, starts_at, ends_at, status) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < claimIds.Length; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(claimIds[i], NpgsqlDbType.Uuid);
                    await copy.WriteAsync(_helpers[i % _helpers.Count].Id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(Org, NpgsqlDbType.Text);
                    await copy.WriteAsync("Sommerfest", NpgsqlDbType.Text);
                    await copy.WriteAsync($"Schicht {i % 50 + 1}", NpgsqlDbType.Text);
                    await copy.WriteAsync("Festwiese", NpgsqlDbType.Text);
                    await copy.WriteAsync("Am Stadtpark 1, 10115 Berlin", NpgsqlDbType.Text);
                    await copy.WriteAsync(startsAt, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(startsAt.AddHours(2), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync("active", NpgsqlDbType.Text);
                }

                await copy.CompleteAsync();
            }

            await using (var copy = await connection.BeginBinaryImportAsync("COPY reminders (claim_id, lead, due_at, starts_at, status) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var claim in claimIds)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(claim, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(TimeSpan.FromHours(24), NpgsqlDbType.Interval);
                    await copy.WriteAsync(startsAt.AddHours(-24), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(startsAt, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync("pending", NpgsqlDbType.Text);
                }

                await copy.CompleteAsync();
            }
        }

        var loaded = DateTimeOffset.UtcNow;
        Log($"{Size.Reminders} due reminders loaded ({(loaded - now).TotalSeconds:0.0} s); waiting up to {Size.ReminderWaveMaxSeconds} s for the wave");
        // Progress is read from the sink's records (in memory), so watching the wave costs the database nothing.
        List<ReceivedMail> Wave() => _sut.Mail.Mails(m => m.ArrivedAt >= loaded && IsWaveReminder(m));
        var clock = Stopwatch.StartNew();
        var cpu = CpuShares.Start(settings.ServicePids);
        var samples = new List<object>();
        var mailed = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(Size.ReminderWaveMaxSeconds) && mailed < Size.Reminders)
        {
            await Task.Delay(1000);
            mailed = Wave().Count;
            samples.Add(new { second = Math.Round(clock.Elapsed.TotalSeconds), mailed });
        }

        var wave = Wave();
        mailed = wave.Count;
        if (cpu?.Stop() is { } shares)
        {
            result.Figures["cpuCores"] = shares;
            Log($"cores used during the wave: {CpuShares.Describe(shares)}");
        }

        var duplicates = mailed - wave.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count();
        var first = mailed > 0 ? wave.Min(m => m.ArrivedAt) : loaded;
        var last = mailed > 0 ? wave.Max(m => m.ArrivedAt) : loaded;

        await using var summary = new NpgsqlConnection(settings.ConnectionString("notifications"));
        await summary.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'),
                   (SELECT count(*) FROM reminders WHERE status = 'pending')
            FROM deliveries WHERE kind = 'reminder'
            """, summary);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var sent = reader.GetInt64(0);
        var failed = reader.GetInt64(1);
        var stillDue = reader.GetInt64(2);
        await reader.DisposeAsync();

        // Overall: from the moment the reminders were due (loaded) to the last mail the sink accepted.
        var overall = mailed / Math.Max(0.001, (last - loaded).TotalSeconds);
        var steady = mailed / Math.Max(0.001, (last - first).TotalSeconds);
        var complete = mailed >= Size.Reminders;
        if (!complete)
        {
            // The rest of the wave would go on loading the next scenarios: it is called off.
            await using var stop = new NpgsqlCommand("""
                UPDATE reminders SET status = 'cancelled' WHERE status = 'pending';
                UPDATE deliveries SET status = 'suppressed', body_text = NULL, body_html = NULL, last_error = 'bench: wave stopped'
                WHERE kind = 'reminder' AND status = 'pending';
                """, summary);
            await stop.ExecuteNonQueryAsync();
        }

        var ratio = overall / raw.Rate;
        Log($"{mailed} of {Size.Reminders} reminders reached the sink ({duplicates} duplicates; the database says {sent} sent, {failed} failed); {overall:0} mails/s from due to last mail, {steady:0}/s from first to last");
        result.Figures["rawSmtp"] = raw;
        result.Figures["wave"] = new
        {
            reminders = Size.Reminders,
            mailed,
            duplicates,
            sentInDatabase = sent,
            failed,
            stillDueWhenStopped = complete ? 0 : stillDue,
            complete,
            mailBytesMedian = Median(wave.Select(m => m.Size).ToList()),
            secondsFromDueToLastMail = Math.Round((last - loaded).TotalSeconds, 1),
            mailsPerSecond = Math.Round(overall, 1),
            steadyMailsPerSecond = Math.Round(steady, 1),
            samples,
        };
        result.Figure = $"{Rate(overall, "mails/s")} ({mailed:#,0} of {Size.Reminders:#,0} in {(last - loaded).TotalSeconds:0} s)";
        result.Limit = $"raw MailKit loop, 1 connection {Rate(raw.Rate, "mails/s")}";
        result.Ratio = Math.Round(ratio, 2);
        result.Goal = "ratio ≥ 0.50";
        result.Met = ratio >= 0.5 && failed == 0 && duplicates == 0;
    }

    public sealed record RawSmtp(int Mails, double Seconds, double Rate, int Connections);

    /// <summary>
    /// Where the claim-to-mail time goes: from the 201 to the delivery row the notifications service
    /// wrote when it consumed the claim (outbox relay, broker, consumer), and from that row to the
    /// sink (the dispatcher). The row's created_at is the consumer's clock: the same machine's.
    /// </summary>
    private async Task<object> ClaimToMailSplitAsync(DateTimeOffset started, IReadOnlyDictionary<string, DateTimeOffset> created, IReadOnlyDictionary<string, DateTimeOffset> received)
    {
        var toRow = new List<double>();
        var toSink = new List<double>();
        await using var connection = new NpgsqlConnection(settings.ConnectionString("notifications"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT recipient_email, created_at FROM deliveries WHERE kind = 'claim-confirmed' AND created_at >= @started", connection);
        command.Parameters.AddWithValue("started", started);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var email = reader.GetString(0);
            var row = reader.GetFieldValue<DateTimeOffset>(1);
            if (created.TryGetValue(email, out var claimed) && received.TryGetValue(email, out var arrived))
            {
                toRow.Add((row - claimed).TotalMilliseconds);
                toSink.Add((arrived - row).TotalMilliseconds);
            }
        }

        var (a, b) = (LatencyStats.Of(toRow), LatencyStats.Of(toSink));
        Log($"of which 201 → delivery row {a.Short}; row → sink {b.Short}");
        return new { claimToDeliveryRowMs = a, deliveryRowToSinkMs = b };
    }

    private static int Median(List<int> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    /// <summary>A confirmation of one of scenario 4's claims (the shifts of the events "Abbau n"; helpers get German mail).</summary>
    private static bool IsConfirmationOfMailShift(ReceivedMail mail) =>
        mail.Subject.StartsWith("Bestätigt: ", StringComparison.Ordinal) && mail.Subject.Contains("– Abbau ", StringComparison.Ordinal);

    /// <summary>A reminder of scenario 5's wave (bulk-loaded claims of the event "Sommerfest").</summary>
    private static bool IsWaveReminder(ReceivedMail mail) =>
        mail.Subject.StartsWith("Erinnerung: ", StringComparison.Ordinal) && mail.Subject.Contains("– Sommerfest", StringComparison.Ordinal);

    /// <summary>
    /// The sink's accept rate for a mail of a reminder's size from a plain MailKit loop: one
    /// connection, send after send (each waits for the 250), nothing else. The dispatcher too sends
    /// one mail after another over one connection, but with its database work around each. The
    /// sink does no disk I/O, so this is an upper bound of what a real MTA would accept.
    /// </summary>
    private async Task<RawSmtp> RawSmtpRateAsync(TimeSpan duration)
    {
        var text = string.Concat(Enumerable.Repeat("Hallo, morgen um 10:00 beginnt deine Schicht „Aufbau“ beim Sommerfest (Festwiese). ", 12));
        var html = $"<html><body><p>{string.Concat(Enumerable.Repeat("Hallo, morgen um 10:00 beginnt deine Schicht <b>Aufbau</b> beim Sommerfest. ", 30))}</p></body></html>";
        using var client = new SmtpClient();
        // With NoDelay, as the dispatcher connects: with Nagle on, each mail of this size waits ~40 ms
        // for the server's delayed ACK, and the loop measures that instead of the server (~22 mails/s).
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(settings.SmtpHost, settings.SmtpPort);
        await client.ConnectAsync(socket, settings.SmtpHost, settings.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable);
        var clock = Stopwatch.StartNew();
        var mails = 0;
        while (clock.Elapsed < duration)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("Shifts <shifts@localhost>"));
            message.To.Add(MailboxAddress.Parse($"raw-{mails}@bench.example.org"));
            message.Subject = "Erinnerung: Aufbau morgen um 10:00";
            message.MessageId = $"{Guid.NewGuid():N}@bench";
            message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
            await client.SendAsync(message);
            mails++;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await client.DisconnectAsync(true);
        return new RawSmtp(mails, Math.Round(seconds, 2), Math.Round(mails / seconds, 1), 1);
    }
}
