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
/// network policy lets it reach the gateway only. The key is made once with
/// <c>dotnet Shifts.Web.dll new-key FOLDER</c> and rotated by adding a new one to the Secret (old
/// keys stay to read cookies they issued). A read-only ring whose newest key has expired keeps using
/// it (the framework's fallback key) and logs a warning each start: the sign to rotate.
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
        }
    }

    /// <summary>Writes a new key into <paramref name="folder"/>, valid for a year from now (<c>new-key</c> command).</summary>
    public static string CreateKey(string folder)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(folder));
        using var provider = services.BuildServiceProvider();
        var now = DateTimeOffset.UtcNow;
        var key = provider.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddYears(1));
        return $"key {key.KeyId} written to {Path.GetFullPath(folder)}, valid until {key.ExpirationDate:yyyy-MM-dd}";
    }
}
