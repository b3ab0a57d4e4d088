using Shifts.Web.Components.Personal;

namespace Shifts.Web.Tests.Personal;

/// <summary>Which organisation each of the person's shifts belongs to (GET /api/me/shifts does not say).</summary>
public sealed class ShiftOrganisationsTests
{
    private static readonly Guid A = Guid.Parse("0193a1b2-0000-7000-8000-000000000a01"), B = Guid.Parse("0193a1b2-0000-7000-8000-000000000a02");

    [Fact]
    public async Task A_person_in_one_organisation_needs_no_lookup()
    {
        var homes = await ShiftOrganisations.ForUpcomingAsync(["kv-mitte-ost"], [A, B, A], _ => throw new InvalidOperationException("no lookup expected"));

        Assert.Equal(new Dictionary<Guid, string?> { [A] = "kv-mitte-ost", [B] = "kv-mitte-ost" }, homes);
    }

    [Fact]
    public async Task A_person_in_several_organisations_has_each_shift_looked_up_once()
    {
        var asked = new List<Guid>();
        var homes = await ShiftOrganisations.ForUpcomingAsync(["kv-mitte-ost", "kv-nord"], [A, B, A], id =>
        {
            asked.Add(id);
            return Task.FromResult<string?>(id == A ? "kv-nord" : null);
        });

        Assert.Equal([A, B], asked);
        Assert.Equal("kv-nord", homes[A]);
        Assert.Null(homes[B]);
    }

    [Fact]
    public void A_past_shift_goes_to_the_organisation_whose_zone_has_its_offset()
    {
        (string, string?)[] orgs = [("ny", "America/New_York"), ("kv-nord", "Europe/Berlin")];

        Assert.Equal("kv-nord", ShiftOrganisations.ForPast(orgs, new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("ny", ShiftOrganisations.ForPast(orgs, new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(-5))));
        Assert.Null(ShiftOrganisations.ForPast(orgs, new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9))));
        Assert.Null(ShiftOrganisations.ForPast([], DateTimeOffset.UnixEpoch));
    }
}
