using System.Net;
using System.Net.Http.Json;
using Shifts.Contracts;
using static Shifts.Events.Tests.Events.EventTestKit;

namespace Shifts.Events.Tests.Events;

/// <summary>
/// A new place for a published event tells the people on its shifts (one ShiftChanged per shift
/// with claims, the place before named), and every message about a shift carries its revision,
/// which rises with the change (the calendar SEQUENCE).
/// </summary>
[Collection(nameof(EventsCollection))]
public sealed class LocationChangeTests(EventsFixture fixture)
{
    [Fact]
    public async Task A_new_place_tells_each_shifts_claimants_once_with_a_higher_revision_and_the_place_before()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var start = BerlinFuture(81, 10);
        var created = await CreateAsync(coordinator, org, Event(start, start.AddHours(4),
            shifts: [Shift(start, start.AddHours(2), "Vormittag"), Shift(start.AddHours(2), start.AddHours(4), "Nachmittag")]));
        var stand = await PostAsync(coordinator, $"/api/events/{created.Id()}/publish");
        var (morning, afternoon) = (stand.ShiftIds()[0], stand.ShiftIds()[1]);
        var (anna, annaToken) = await fixture.CreateMemberAsync(org);
        using (var helper = fixture.Client(annaToken))
        {
            await ExpectAsync(await helper.PostAsync($"/api/shifts/{morning}/claims", null), HttpStatusCode.Created);
        }

        var claimed = Assert.Single(await fixture.ReceivedAsync<ShiftClaimed>(m => m.Shift.ShiftId == morning)).Message;
        Assert.Equal(await ScalarAsync<long>(fixture, "SELECT calendar_sequence::bigint FROM shifts WHERE id = @id", morning), claimed.Shift.Revision);

        // A new description is nobody's business but the event page's.
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/events/{stand.Id()}", new { description = "Mit Kaffee" }), HttpStatusCode.OK);
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/events/{stand.Id()}", new { location = new { name = "Domsheide", address = "Domsheide 1, Bremen" } }),
            HttpStatusCode.OK);

        var changed = Assert.Single(await ReceivedSettledAsync<ShiftChanged>(fixture, m => m.Shift.EventId == stand.Id())).Message;
        Assert.Equal(morning, changed.Shift.ShiftId);
        Assert.Equal([anna], changed.AffectedVolunteerIds);
        Assert.Equal(("Domsheide", "Domsheide 1, Bremen"), (changed.Shift.LocationName, changed.Shift.LocationAddress));
        Assert.Equal(("Marktplatz", "Am Markt 1, 28195 Bremen"), (changed.OldLocationName, changed.OldLocationAddress));
        Assert.Equal((changed.Shift.StartsAt, changed.Shift.EndsAt), (changed.OldStartsAt, changed.OldEndsAt));
        Assert.Equal(start.ToUniversalTime(), changed.Shift.StartsAt);
        Assert.True(changed.Shift.Revision > claimed.Shift.Revision, $"revision {changed.Shift.Revision} after {claimed.Shift.Revision}");
        Assert.Empty(fixture.Received<ShiftChanged>(m => m.Shift.ShiftId == afternoon));

        // A new title is told too, the place then unchanged.
        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/events/{stand.Id()}", new { title = "Infostand Domsheide" }), HttpStatusCode.OK);
        var renamed = (await ReceivedSettledAsync<ShiftChanged>(fixture, m => m.Shift.EventId == stand.Id(), 2)).Select(r => r.Message).Last();
        Assert.Equal(("Infostand Domsheide", (string?)null), (renamed.Shift.EventTitle, renamed.OldLocationName));
        Assert.True(renamed.Shift.Revision > changed.Shift.Revision);
    }

    [Fact]
    public async Task A_drafts_new_place_tells_nobody()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, coordinatorToken) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(coordinatorToken);
        var start = BerlinFuture(82, 10);
        var draft = await CreateAsync(coordinator, org, Event(start, start.AddHours(2), shifts: [Shift(start, start.AddHours(2))]));
        await ClaimAsync(fixture, draft.ShiftIds()[0], Guid.NewGuid());

        await ExpectAsync(await coordinator.PatchAsJsonAsync($"/api/events/{draft.Id()}", new { location = new { name = "Domsheide" } }), HttpStatusCode.OK);

        Assert.Empty(await ReceivedSettledAsync<ShiftChanged>(fixture, m => m.Shift.EventId == draft.Id(), 0));
    }
}
