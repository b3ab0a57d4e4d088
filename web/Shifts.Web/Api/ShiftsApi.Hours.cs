using System.Globalization;

namespace Shifts.Web.Api;

// Worked hours (the events service's GET /api/orgs/{org}/hours): a member reads their own row.
public sealed partial class ShiftsApi
{
    /// <summary>Worked hours between two local dates, both included: everyone for coordinators, the caller's own row for a member.</summary>
    public Task<ApiResult<HoursSheet>> HoursAsync(string org, DateOnly from, DateOnly to, CancellationToken ct = default) =>
        Guarded(() => GetAsync<HoursSheet>(
            $"/api/orgs/{Uri.EscapeDataString(org)}/hours?from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", ct));
}

public sealed record HoursSheet(DateOnly From, DateOnly To, IReadOnlyList<HoursRow> Items);

/// <summary>One person's hours: <c>NoShows</c> only for coordinators.</summary>
public sealed record HoursRow(Guid VolunteerId, string Name, int Shifts, decimal Hours, int? NoShows);
