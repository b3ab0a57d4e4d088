using Dapper;
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

/// <summary>
/// The <c>RateLimits</c> section: how many requests, per window, an address, an organisation or a
/// client may make. Each limit is a token bucket: up to that many at once, refilled evenly over
/// the window (5 per 15 minutes is one more every 3 minutes), so nobody is locked out for a whole window.
/// </summary>
public sealed class RateLimitSettings
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Login links (and sign-ups, which mail one) per address and window: the tight limit; one link lives 15 minutes anyway.</summary>
    public int LinksPerAddress { get; set; } = 5;

    /// <summary>Sign-ups per organisation and window: a bound on the mail one organisation's form can cause.</summary>
    public int SignupsPerOrganisation { get; set; } = 200;

    /// <summary>
    /// Login links and sign-ups per client IP and window: only a flood guard, sized for a shared NAT
    /// (a venue's one Wi-Fi address at a new-members' evening, twice in one evening).
    /// </summary>
    public int LinksPerClient { get; set; } = 500;

    /// <summary>Link exchanges per client IP and window, likewise sized for a shared NAT.</summary>
    public int SessionsPerClient { get; set; } = 500;

    public bool IsValid =>
        Window >= TimeSpan.FromSeconds(1) && Window <= TimeSpan.FromDays(1)
        && LinksPerAddress >= 1 && SignupsPerOrganisation >= 1 && LinksPerClient >= 1 && SessionsPerClient >= 1;

    internal void CopyFrom(RateLimitSettings other)
    {
        Window = other.Window;
        LinksPerAddress = other.LinksPerAddress;
        SignupsPerOrganisation = other.SignupsPerOrganisation;
        LinksPerClient = other.LinksPerClient;
        SessionsPerClient = other.SessionsPerClient;
    }
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

        const string Rule = "RateLimits: Window must be between 00:00:01 and 1.00:00:00 and every limit at least 1.";
        if (!settings.IsValid)
        {
            // Reported with every other wrong setting in one line; the defaults stand in until the start stops.
            ConfigurationProblems.Report(builder, Rule);
            settings = new RateLimitSettings();
        }

        builder.Services.AddOptions<RateLimitSettings>()
            .Configure(options => options.CopyFrom(settings))
            .Validate(options => options.IsValid, Rule)
            .ValidateOnStart();
        builder.Services.AddSingleton<RateLimits>();
        return builder;
    }
}

/// <summary>
/// Rate limits that every replica agrees on: one call of rate_limit_take (migration 0008) takes a
/// token from each bucket a request counts in, all or nothing, atomically in PostgreSQL. The limits
/// count every request, known address or not, so a 429 tells nothing about who is a member; its
/// Retry-After is the time until every bucket has a token again, so a client that waits as told gets through.
/// The client is the connection's peer after ForwardedHeaders (ServiceDefaults' TrustedProxies):
/// behind the gateway the address the gateway saw, and a forged X-Forwarded-For from anyone else counts nothing.
/// </summary>
public sealed class RateLimits(NpgsqlDataSource db, IOptions<RateLimitSettings> options, TimeProvider time)
{
    private RateLimitSettings Settings => options.Value;

    /// <summary>Counts a request for a login link for the address from the caller's client.</summary>
    public Task<ProblemHttpResult?> LinkRequestAsync(HttpContext context, string email, CancellationToken cancellationToken) =>
        AcquireAsync(
        [
            (AddressBucket(email), Settings.LinksPerAddress),
            ($"link:client:{Hash(ClientOf(context))}", Settings.LinksPerClient),
        ], context, cancellationToken);

    /// <summary>
    /// Counts a sign-up: per address (the same bucket as login links, as a sign-up mails one too),
    /// per organisation, and per client as a flood guard.
    /// </summary>
    public Task<ProblemHttpResult?> SignupRequestAsync(HttpContext context, string org, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(org);
        return AcquireAsync(
        [
            (AddressBucket(email), Settings.LinksPerAddress),
            ($"signup:org:{Hash(org.ToLowerInvariant())}", Settings.SignupsPerOrganisation),
            ($"link:client:{Hash(ClientOf(context))}", Settings.LinksPerClient),
        ], context, cancellationToken);
    }

    /// <summary>Counts an attempt to exchange a login link from the caller's client.</summary>
    public Task<ProblemHttpResult?> SessionRequestAsync(HttpContext context, CancellationToken cancellationToken) =>
        AcquireAsync([($"session:client:{Hash(ClientOf(context))}", Settings.SessionsPerClient)], context, cancellationToken);

    /// <summary>Deletes buckets untouched for a window: they are full again, the same as no row.</summary>
    public async Task<int> ForgetOldWindowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_limit_buckets WHERE updated_at < @before", new { before = time.GetUtcNow() - Settings.Window }, cancellationToken: cancellationToken));
    }

    private async Task<ProblemHttpResult?> AcquireAsync((string Bucket, int Capacity)[] buckets, HttpContext context, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var wait = await connection.ExecuteScalarAsync<double>(new CommandDefinition("SELECT rate_limit_take(@buckets, @capacities, @now, @window)", new
        {
            buckets = buckets.Select(b => b.Bucket).ToArray(),
            capacities = buckets.Select(b => (double)b.Capacity).ToArray(),
            now = time.GetUtcNow(),
            window = Settings.Window.TotalSeconds,
        }, cancellationToken: cancellationToken));
        if (wait <= 0)
        {
            return null;
        }

        var retryAfter = RetryAfterSeconds(wait);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return Problem.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests",
            $"Too many requests; try again in {retryAfter} seconds.");
    }

    /// <summary>
    /// The Retry-After of a refusal that must wait <paramref name="wait"/> seconds: rounded up, so that
    /// after this many seconds every bucket has its token (nothing was taken now), and at least 1.
    /// </summary>
    public static int RetryAfterSeconds(double wait) => Math.Max((int)Math.Ceiling(wait), 1);

    private static string AddressBucket(string email) => $"link:address:{Hash(email.Trim().ToLowerInvariant())}";

    /// <summary>The peer, one form per address: an IPv4 client through a dual-stack socket counts as itself.</summary>
    private static string ClientOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
