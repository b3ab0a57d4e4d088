using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shifts.Contracts;
using Shifts.Events.Gaps;
using Shifts.Events.Tests.Events;

namespace Shifts.Events.Tests.Privacy;

/// <summary>What the events service tells and answers other services: gaps, newcomer shifts, GDPR export and erasure.</summary>
[Collection(nameof(EventsCollection))]
public sealed class GapsWelcomeAndPrivacyTests(EventsFixture fixture)
{
    private GapDetector Detector => fixture.Services.GetServices<IHostedService>().OfType<GapDetector>().Single();

    [Fact]
    public async Task Short_shifts_are_announced_once_per_organisation_and_lead_time_and_filled_or_distant_ones_not_at_all()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var soon = DateTimeOffset.UtcNow.AddHours(30);
        var eventId = await Seed.EventAsync(fixture, org, soon.AddHours(-1), soon.AddHours(10));
        var shortA = await Seed.ShiftAsync(coordinator, eventId, soon, soon.AddHours(2), capacity: 4, minimum: 2, title: "Aufbau");
        var shortB = await Seed.ShiftAsync(coordinator, eventId, soon.AddHours(3), soon.AddHours(5), capacity: 4, minimum: 1, title: "Ausschank");
        var filled = await Seed.ShiftAsync(coordinator, eventId, soon.AddHours(6), soon.AddHours(8), capacity: 2, minimum: 1, title: "Abbau");
        using (var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token))
        {
            Assert.Equal(HttpStatusCode.Created, (await helper.PostAsync($"/api/shifts/{filled}/claims", null)).StatusCode);
        }

        var farEvent = await Seed.EventAsync(fixture, org, Seed.Future(9), Seed.Future(9, 20));
        await Seed.ShiftAsync(coordinator, farEvent, Seed.Future(9, 10), Seed.Future(9, 12), minimum: 2, title: "Später");

        await Detector.DetectAsync(CancellationToken.None);
        await Detector.DetectAsync(CancellationToken.None);

        var alerts = await EventTestKit.ReceivedSettledAsync<ShiftsUnderstaffed>(fixture, m => m.Org == org);
        var alert = Assert.Single(alerts).Message;
        Assert.Equal(TimeSpan.FromHours(48), alert.LeadTime);
        Assert.Equal(new[] { shortA, shortB }, alert.Shifts.Select(s => s.Shift.ShiftId));
        Assert.Equal((0, 2), (alert.Shifts[0].Confirmed, alert.Shifts[0].Minimum));
    }

    [Fact]
    public async Task A_welcome_mail_can_ask_for_the_next_open_newcomer_friendly_shifts()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(3), Seed.Future(3, 22));
        var friendly = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 10), Seed.Future(3, 12), newcomerFriendly: true, title: "Empfang");
        await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 12), Seed.Future(3, 14), newcomerFriendly: false, title: "Moderation");
        var full = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(3, 14), Seed.Future(3, 15), capacity: 1, newcomerFriendly: true, title: "Getränke");
        using (var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token))
        {
            Assert.Equal(HttpStatusCode.Created, (await helper.PostAsync($"/api/shifts/{full}/claims", null)).StatusCode);
        }

        var client = fixture.Bus.CreateRequestClient<NewcomerShiftsRequested>();
        var response = await client.GetResponse<NewcomerShiftsListed>(new NewcomerShiftsRequested(org, DateTimeOffset.UtcNow, 5));

        var shift = Assert.Single(response.Message.Shifts);
        Assert.Equal(friendly, shift.ShiftId);
        Assert.Equal("Empfang", shift.ShiftTitle);
    }

    [Fact]
    public async Task Erasure_releases_the_claims_promotes_the_waitlist_and_forgets_the_name()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (_, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4), Seed.Future(4, 22));
        var shiftId = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 10), Seed.Future(4, 12), capacity: 1);
        var (leaving, leavingToken) = await fixture.CreateMemberAsync(org, "helper", "awareness");
        var (waiting, waitingToken) = await fixture.CreateMemberAsync(org);
        using (var client = fixture.Client(leavingToken))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/shifts/{shiftId}/claims", null)).StatusCode);
        }

        using (var client = fixture.Client(waitingToken))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/shifts/{shiftId}/waitlist", null)).StatusCode);
        }

        var export = await fixture.Bus.CreateRequestClient<ClaimsExportRequested>()
            .GetResponse<PersonalDataExported>(new ClaimsExportRequested(leaving));
        var exported = JsonDocument.Parse(export.Message.Json).RootElement;
        Assert.Equal("events", export.Message.Service);
        Assert.Equal(shiftId, exported.GetProperty("claims")[0].GetProperty("shiftId").GetGuid());
        Assert.StartsWith("Volunteer ", exported.GetProperty("displayName").GetString(), StringComparison.Ordinal);

        await fixture.PublishAsync(new VolunteerErased(leaving));

        var released = Assert.Single(await fixture.ReceivedAsync<ClaimCancelled>(m => m.VolunteerId == leaving));
        Assert.Equal("erased", released.Message.Reason);
        var promoted = Assert.Single(await fixture.ReceivedAsync<WaitlistPromoted>(m => m.Shift.ShiftId == shiftId));
        Assert.Equal(waiting, promoted.Message.VolunteerId);
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM volunteers WHERE id = @id", leaving));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM memberships WHERE volunteer_id = @id", leaving));
        Assert.Equal(0, await Seed.CountAsync(fixture, "SELECT count(*) FROM qualifications WHERE volunteer_id = @id", leaving));
        Assert.Equal(1, await Seed.CountAsync(fixture, "SELECT confirmed FROM shifts WHERE id = @id", shiftId));
    }
}
