using Microsoft.Extensions.Caching.Memory;

namespace Shifts.Web.Api;

/// <summary>
/// Organisations by slug (name, time zone, cancellation deadline), kept for a few minutes: every page
/// shows the name, and every time is shown in the organisation's zone. They change rarely, and a
/// renamed organisation shows its new name within <see cref="Lifetime"/>.
/// </summary>
public sealed class OrganisationNames(ShiftsApi api, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<Organisation?> GetAsync(string slug)
    {
        if (cache.TryGetValue(("org", slug), out Organisation? known))
        {
            return known;
        }

        var result = await api.OrganisationAsync(slug);
        if (result is { Ok: true, Value: { } organisation })
        {
            cache.Set(("org", slug), organisation, Lifetime);
            return organisation;
        }

        return null;
    }

    public async Task<string?> NameAsync(string slug) => (await GetAsync(slug))?.Name;
}
