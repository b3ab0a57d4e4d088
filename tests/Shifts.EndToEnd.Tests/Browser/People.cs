using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>A member the tests can log in as: signed up to an organisation and confirmed from the mail.</summary>
public sealed record Person(string Name, string Email, string Org);

/// <summary>
/// New people for the browser and web tests, one per test, so that what one test changes (the
/// language in the profile, a logout) never reaches another. They belong to one organisation per
/// system, made by the bootstrapped admin.
/// </summary>
public static class People
{
    private static readonly ConcurrentDictionary<ShiftsSystem, Lazy<Task<string>>> Orgs = new();

    /// <summary>A confirmed helper of the system's test organisation, with the profile language <paramref name="locale"/>.</summary>
    public static async Task<Person> NewAsync(ShiftsSystem system, string name = "Lena Berger", string locale = "de")
    {
        ArgumentNullException.ThrowIfNull(system);
        var org = await Orgs.GetOrAdd(system, s => new Lazy<Task<string>>(() => CreateOrgAsync(s))).Value;
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        using var client = await system.SignUpAsync(org, name, email, locale);
        return new Person(name, email, org);
    }

    private static async Task<string> CreateOrgAsync(ShiftsSystem system)
    {
        using var admin = await system.LogInAsync(system.AdminEmail);
        var slug = $"web-{Guid.NewGuid():N}"[..16];
        await Http.ExpectAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/orgs", new { slug, name = "Tafel Mitte", timeZone = "Europe/Berlin" }));
        return slug;
    }
}
