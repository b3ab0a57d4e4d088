using Shifts.Web.Api;

namespace Shifts.Web.Components.Personal;

/// <summary>A person's worked hours in one organisation since the first of January (GET /api/orgs/{org}/hours, their own row).</summary>
public sealed record YearHours(string OrganisationName, int Shifts, decimal Hours)
{
    /// <summary>Reads the year so far in each organisation, each in its own time zone; null when one could not be read.</summary>
    public static async Task<(int Year, IReadOnlyList<YearHours> Rows)?> ReadAsync(
        ShiftsApi api, IReadOnlyList<(string Org, string? TimeZone, string Name)> organisations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(organisations);
        var rows = new List<YearHours>();
        var year = now.Year;
        foreach (var (org, zone, name) in organisations)
        {
            var today = DateOnly.FromDateTime(Localization.When.Local(now, zone).DateTime);
            year = today.Year;
            var sheet = await api.HoursAsync(org, new DateOnly(today.Year, 1, 1), today);
            if (!sheet.Ok || sheet.Value is not { } hours)
            {
                return null;
            }

            rows.Add(new YearHours(name, hours.Items.Sum(r => r.Shifts), hours.Items.Sum(r => r.Hours)));
        }

        return (year, rows);
    }
}
