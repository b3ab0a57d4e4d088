using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Shifts.Web.Session;

/// <summary>
/// The Data Protection key ring that encrypts session cookies and antiforgery tokens. Every replica
/// must hold the same keys, or a cookie issued by one is unreadable to the next.
/// </summary>
/// <remarks>
/// The keys are files in one folder (<c>DataProtection:KeyRingPath</c>). Locally and in compose the
/// folder is writable and the first replica creates the key. In Kubernetes it is a Secret mounted
/// read-only into every pod (<c>DataProtection:ReadOnly=true</c>): the pods cannot drift apart, no
/// pod writes, and the web app needs neither a database nor a volume shared for writing, so its
/// network policy lets it reach the gateway only. The key is made with
/// <c>dotnet Shifts.Web.dll new-key FOLDER [ACTIVATION-DATE]</c> (valid two years) and rotated by
/// adding a new one to the Secret, dated a few days ahead so every replica holds it before it
/// becomes the default (old keys stay, to read the cookies they issued). A read-only ring without a
/// key valid now cannot protect anything: every page would fail. So readiness says so
/// (<see cref="KeyRingHealthCheck"/>: not ready, with the reason), and each start logs a warning
/// when the newest key expires within 30 days.
/// </remarks>
public static class KeyRing
{
    public const string ApplicationName = "Shifts.Web";

    public static void AddShiftsKeyRing(this IHostApplicationBuilder builder)
    {
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        var path = builder.Configuration["DataProtection:KeyRingPath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            // One replica on a developer's machine: the framework's per-user folder is enough.
            return;
        }

        protection.PersistKeysToFileSystem(new DirectoryInfo(path));
        if (builder.Configuration.GetValue<bool>("DataProtection:ReadOnly"))
        {
            protection.DisableAutomaticKeyGeneration();
            builder.Services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("key-ring", tags: [Shifts.ServiceDefaults.HealthTags.Ready]);
        }
    }

    /// <summary>
    /// Writes a new key into <paramref name="folder"/> (<c>new-key</c> command), the default from
    /// <paramref name="activation"/> (now if not given) for two years.
    /// </summary>
    public static string CreateKey(string folder, DateTimeOffset? activation = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(folder));
        using var provider = services.BuildServiceProvider();
        var from = activation ?? DateTimeOffset.UtcNow;
        var key = provider.GetRequiredService<IKeyManager>().CreateNewKey(from, from.AddYears(2));
        return $"key {key.KeyId} written to {Path.GetFullPath(folder)}, the default from {key.ActivationDate:yyyy-MM-dd} until {key.ExpirationDate:yyyy-MM-dd}";
    }
}

/// <summary>
/// Ready only while the read-only key ring holds a key valid now (without one every page fails,
/// and nothing else would say why). Warns in the log when the newest key expires within 30 days.
/// </summary>
public sealed class KeyRingHealthCheck(IKeyManager keys, TimeProvider clock, ILogger<KeyRingHealthCheck> logger) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    private bool _warned;

    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var all = keys.GetAllKeys().Where(k => !k.IsRevoked).ToList();
        var current = all.Where(k => k.ActivationDate <= now && k.ExpirationDate > now).OrderByDescending(k => k.ExpirationDate).FirstOrDefault();
        if (current is null)
        {
            return Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(
                all.Count == 0
                    ? "The key ring (DataProtection:KeyRingPath) holds no key: create one with `dotnet Shifts.Web.dll new-key FOLDER` and put it into the Secret."
                    : "Every key of the key ring has expired (or is not active yet): add a new one with `dotnet Shifts.Web.dll new-key FOLDER`."));
        }

        var newest = all.Max(k => k.ExpirationDate);
        if (newest - now < TimeSpan.FromDays(30) && !_warned)
        {
            _warned = true;
            logger.LogWarning("The web app's newest Data Protection key expires on {Expiry:yyyy-MM-dd}: add a new key to the key ring Secret before then (README, Deploying)", newest);
        }

        return Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy($"key {current.KeyId} valid until {current.ExpirationDate:yyyy-MM-dd}"));
    }
}
