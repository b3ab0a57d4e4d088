using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Problems;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Login;

/// <summary>The <c>RateLimits</c> section: how often, per window, an address or a client may ask.</summary>
public sealed class RateLimitSettings
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Login links (and sign-ups, which mail one) per address and window: one link lives 15 minutes anyway.</summary>
    public int LinksPerAddress { get; set; } = 5;

    /// <summary>Login links and sign-ups per client IP and window. Generous: a new-members' evening signs up over one Wi-Fi.</summary>
    public int LinksPerClient { get; set; } = 60;

    /// <summary>Link exchanges per client IP and window.</summary>
    public int SessionsPerClient { get; set; } = 120;

    /// <summary>
    /// Take the client from the last X-Forwarded-For entry (what the gateway saw). True behind the
    /// gateway, as deployed; a service reachable directly should set it false.
    /// </summary>
    public bool TrustForwardedFor { get; set; } = true;
}

public static class RateLimitsSetup
{
    /// <summary>The <c>RateLimits</c> settings (checked now, reported as one line at start) and the counters.</summary>
    public static IHostApplicationBuilder AddLoginRateLimits(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new RateLimitSettings();
        try
        {
            builder.Configuration.GetSection("RateLimits").Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            ConfigurationProblems.Report(builder, $"RateLimits: {ex.Message}");
        }

        if (settings.Window < TimeSpan.FromSeconds(1) || settings.Window > TimeSpan.FromDays(1)
            || settings.LinksPerAddress < 1 || settings.LinksPerClient < 1 || settings.SessionsPerClient < 1)
        {
            ConfigurationProblems.Report(builder, "RateLimits: Window must be between 00:00:01 and 1.00:00:00 and every limit at least 1.");
        }

        builder.Services.AddSingleton(Options.Create(settings));
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddHostedService<LoginHousekeeping>();
        return builder;
    }
}

/// <summary>
/// Rate limits that every replica agrees on: one upsert per bucket counts the request in its fixed
/// window in PostgreSQL, atomically under concurrency. The limits count every request, known
/// address or not, so a 429 tells nothing about who is a member.
/// </summary>
public sealed partial class RateLimits(NpgsqlDataSource db, IOptions<RateLimitSettings> options, TimeProvider time)
{
    private RateLimitSettings Settings => options.Value;

    /// <summary>Counts a request for a login link (or a sign-up) for the address from the caller's client.</summary>
    public Task<ProblemHttpResult?> LinkRequestAsync(HttpContext context, string email, CancellationToken cancellationToken) =>
        AcquireAsync(
        [
            ($"link:address:{Hash(email.Trim().ToLowerInvariant())}", Settings.LinksPerAddress),
            ($"link:client:{Hash(ClientOf(context))}", Settings.LinksPerClient),
        ], context, cancellationToken);

    /// <summary>Counts an attempt to exchange a login link from the caller's client.</summary>
    public Task<ProblemHttpResult?> SessionRequestAsync(HttpContext context, CancellationToken cancellationToken) =>
        AcquireAsync([($"session:client:{Hash(ClientOf(context))}", Settings.SessionsPerClient)], context, cancellationToken);

    /// <summary>Deletes counters of windows that are over.</summary>
    public async Task<int> ForgetOldWindowsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("DELETE FROM rate_limits WHERE window_start < @before");
        command.Parameters.AddWithValue("before", time.GetUtcNow() - Settings.Window);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ProblemHttpResult?> AcquireAsync((string Bucket, int Limit)[] buckets, HttpContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = Settings.Window;
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
        const string sql = """
            INSERT INTO rate_limits (bucket, window_start, hits) VALUES (@bucket, @start, 1)
            ON CONFLICT (bucket) DO UPDATE SET
                hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
                window_start = excluded.window_start
            RETURNING hits
            """;
        var exceeded = false;
        await using var batch = db.CreateBatch();
        foreach (var (bucket, _) in buckets)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("bucket", bucket);
            command.Parameters.AddWithValue("start", windowStart);
            batch.BatchCommands.Add(command);
        }

        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            foreach (var (_, limit) in buckets)
            {
                await reader.ReadAsync(cancellationToken);
                exceeded |= reader.GetInt32(0) > limit;
                await reader.NextResultAsync(cancellationToken);
            }
        }

        if (!exceeded)
        {
            return null;
        }

        var retryAfter = (int)Math.Ceiling((windowStart + window - now).TotalSeconds);
        context.Response.Headers.RetryAfter = Math.Max(retryAfter, 1).ToString(CultureInfo.InvariantCulture);
        return Problem.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests",
            $"Too many requests; try again in {Math.Max(retryAfter, 1)} seconds.");
    }

    private string ClientOf(HttpContext context)
    {
        if (Settings.TrustForwardedFor && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (last.Length is > 0 and <= 100)
            {
                return last;
            }
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
